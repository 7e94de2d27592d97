import DarajaWire
import Foundation
import PesaTesting
import Testing

@Suite struct PasswordAndTimeTests {
    static let sandboxPasskey = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"

    @Test func referenceExamplePassword() {
        let password = STKPassword.make(shortCode: "174379", passkey: Self.sandboxPasskey, timestamp: "20250314101523")
        #expect(
            password
                == "MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBj"
                    + "ODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMjUwMzE0MTAxNTIz"
        )
    }

    @Test func fixturePasswordsVerify() throws {
        for name in ["stk_push_request", "stk_query_request"] {
            let body = try JSONDecoder().decode([String: JSONValue].self, from: Fixtures.daraja(name))
            let ok = STKPassword.verify(
                body.text("Password") ?? "", shortCode: body.text("BusinessShortCode") ?? "",
                passkey: Self.sandboxPasskey, timestamp: body.text("Timestamp") ?? ""
            )
            #expect(ok, "\(name)")
        }
        let buyGoods = try JSONDecoder().decode(STKPushRequest.self, from: Fixtures.daraja("stk_push_request_buygoods"))
        #expect(
            STKPassword.verify(
                buyGoods.password, shortCode: "7654321", passkey: "examplepasskey", timestamp: buyGoods.timestamp
            )
        )
    }

    @Test func timestampIsNairobiTimeZeroPadded() {
        // 2025-03-14T07:15:23Z is 10:15:23 in Nairobi.
        let date = Date(timeIntervalSince1970: 1_741_936_523)
        #expect(KenyaTime(date).timestamp == "20250314101523")
        // 2024-12-31T21:05:09Z crosses midnight and the year in Nairobi.
        let newYear = Date(timeIntervalSince1970: 1_735_679_109)
        #expect(KenyaTime(newYear).timestamp == "20250101000509")
        #expect(KenyaTime(newYear).dotted == "01.01.2025 00:05:09")
        // Leap day.
        #expect(KenyaTime(Date(timeIntervalSince1970: 1_709_200_800)).timestamp == "20240229130000")
    }

    @Test func timestampRoundTrips() throws {
        let date = Date(timeIntervalSince1970: 1_741_936_523)
        #expect(try KenyaTime.date(fromTimestamp: "20250314101523") == date)
        #expect(throws: DarajaWireError.self) { try KenyaTime.date(fromTimestamp: "2025031410152") }
        #expect(throws: DarajaWireError.self) { try KenyaTime.date(fromTimestamp: "20250230101523") }
    }

    @Test func passwordAndTimestampFromOneClockRead() {
        let date = Date(timeIntervalSince1970: 1_741_936_523)
        let made = STKPassword.make(shortCode: "174379", passkey: Self.sandboxPasskey, at: date)
        #expect(made.timestamp == "20250314101523")
        #expect(
            STKPassword.verify(
                made.password, shortCode: "174379", passkey: Self.sandboxPasskey, timestamp: made.timestamp))
    }
}
