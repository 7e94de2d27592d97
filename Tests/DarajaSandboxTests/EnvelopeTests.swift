import DarajaSandbox
import DarajaWire
import Foundation
import NIOHTTP1
import PesaTesting
import Testing

/// Daraja's statuses, codes and envelope, in Daraja's validation order.
@Suite struct EnvelopeTests {
    static let push = #"""
        {"BusinessShortCode":174379,"Password":"MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBj\#
        ODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMjUwMzE0MTAxNTIz",
         "Timestamp":"20250314101523","TransactionType":"CustomerPayBillOnline","Amount":"1","PartyA":"254708374149",
         "PartyB":174379,"PhoneNumber":PHONE,"CallBackURL":"CALLBACK","AccountReference":"INV1","TransactionDesc":null,
         "Remarks":"extra keys are tolerated"}
        """#

    static func push(phone: String = "254708374149", callback: String = "https://example.com/cb") -> String {
        push.replacingOccurrences(of: "PHONE", with: phone).replacingOccurrences(of: "CALLBACK", with: callback)
    }

    @Test func oauthErrors() async throws {
        try await RawHarness.run { harness in
            let none = try await harness.send(.GET, "/oauth/v1/generate?grant_type=client_credentials")
            #expect(none.status == 400)
            #expect(none.envelope?.errorCode == "400.008.01")
            #expect(none.json.map { Set(keyPaths($0)) } == ["requestId", "errorCode", "errorMessage"])
            let basic = Data("k:s".utf8).base64EncodedString()
            let grant = try await harness.send(
                .GET, "/oauth/v1/generate?grant_type=password", headers: [("Authorization", "Basic \(basic)")]
            )
            #expect(grant.status == 400)
            #expect(grant.envelope?.errorCode == "400.008.02")
            let good = try await harness.send(
                .GET, "/oauth/v1/generate?grant_type=client_credentials", headers: [("Authorization", "Basic \(basic)")]
            )
            #expect(good.json == nil ? false : keyPaths(good.json ?? .null) == ["access_token", "expires_in"])
            let token = try good.decode(AccessTokenResponse.self)
            #expect(token.accessToken.count == 28)
            #expect(token.expiresIn == FlexibleString("3599"))
        }
    }

    @Test func numericExpiryWhenConfigured() async throws {
        try await RawHarness.run(SandboxConfiguration(callbackDelayMs: 5, expiresInAsNumber: true)) { harness in
            let basic = Data("k:s".utf8).base64EncodedString()
            let good = try await harness.send(
                .GET, "/oauth/v1/generate?grant_type=client_credentials", headers: [("Authorization", "Basic \(basic)")]
            )
            #expect(try good.decode(AccessTokenResponse.self).expiresIn == FlexibleString(3599))
        }
    }

    @Test func stkEnvelopesInDarajasOrder() async throws {
        try await RawHarness.run { harness in
            let path = DarajaEndpoint.stkPush.path
            let noToken = try await harness.post(path, Self.push(), token: "nope")
            #expect(noToken.status == 404)
            #expect(noToken.envelope?.errorCode == "404.001.03")
            let token = try await harness.token()
            let badJSON = try await harness.post(path, "{not json", token: token)
            #expect(badJSON.status == 400)
            #expect(badJSON.envelope?.errorCode == "400.002.05")
            // Shortcode is checked before the phone.
            let both = Self.push(phone: "\"07\"").replacingOccurrences(
                of: "174379,\"Password", with: "\"abc\",\"Password")
            let first = try await harness.post(path, both, token: token)
            #expect(first.envelope?.errorMessage == "Bad Request - Invalid BusinessShortCode")
            let phone = try await harness.post(path, Self.push(phone: "\"0712345678\""), token: token)
            #expect(phone.status == 400)
            #expect(phone.envelope?.errorCode == "400.002.02")
            #expect(phone.envelope?.errorMessage == "Bad Request - Invalid PhoneNumber")
            let url = try await harness.post(path, Self.push(callback: " https://example.com/cb"), token: token)
            #expect(url.envelope?.errorMessage == "Bad Request - Invalid CallBackURL")
            let wrongPassword = Self.push().replacingOccurrences(of: "MTc0Mzc5", with: "MTc0Mzc4")
            let credentials = try await harness.post(path, wrongPassword, token: token)
            #expect(credentials.status == 500)
            #expect(credentials.envelope?.errorCode == "500.001.1001")
            let fails = try await harness.post(path, Self.push(phone: "254700000500"), token: token)
            #expect(fails.status == 500)
            #expect(fails.envelope?.errorCode == "500.003.1001")
            let ok = try await harness.post(path, Self.push(callback: harness.callbackURL("cb")), token: token)
            #expect(ok.status == 200)
        }
    }

    @Test func methodNotAllowedAndCertificate() async throws {
        try await RawHarness.run { harness in
            let get = try await harness.send(.GET, DarajaEndpoint.stkPush.path)
            #expect(get.status == 405)
            #expect(get.envelope?.errorCode == "405.001")
            let certificate = try await harness.send(.GET, "/sandbox/certificate.pem")
            #expect(certificate.status == 200)
            #expect(String(decoding: certificate.body, as: UTF8.self).hasPrefix("-----BEGIN CERTIFICATE-----"))
        }
    }

    @Test func initiatorEnvelopes() async throws {
        try await RawHarness.run { harness in
            let body = String(decoding: try Fixtures.daraja("b2c_request_v3"), as: UTF8.self)
            let unauthorized = try await harness.post(DarajaEndpoint.b2cPaymentv3.path, body, token: "stale")
            #expect(unauthorized.status == 401)
            #expect(unauthorized.envelope?.errorCode == "401.002.01")
            #expect(unauthorized.envelope?.errorMessage == "Error Occurred - Invalid Access Token - stale")
            let token = try await harness.token()
            let malformed = body.replacingOccurrences(of: "oxwGvUY+", with: "not base64 at all!")
            let credential = try await harness.post(DarajaEndpoint.b2cPaymentv3.path, malformed, token: token)
            #expect(credential.envelope?.errorMessage == "Bad Request - Invalid SecurityCredential")
        }
    }
}
