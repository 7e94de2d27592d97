import PesaCore
import Testing

@Suite struct MSISDNTests {
    @Test(arguments: [
        ("0708374149", "254708374149"), ("0110123456", "254110123456"), ("+254708374149", "254708374149"),
        ("254708374149", "254708374149"), ("+254110123456", "254110123456"), ("254110123456", "254110123456"),
        ("708374149", "254708374149"), ("110123456", "254110123456"), ("0708 374 149", "254708374149"),
        ("+254-708-374-149", "254708374149"), (" 0712345678 ", "254712345678"),
    ])
    func normalizes(input: String, expected: String) throws {
        #expect(try MSISDN(input).digits == expected)
    }

    @Test(arguments: [
        "", "   ", "07083741", "070837414999", "0208374149", "+255708374149", "255708374149", "254208374149",
        "0708a74149", "+0708374149", "2547083741490", "608374149", "++254708374149", "0708.374.149",
        "٠٧٠٨٣٧٤١٤٩",
    ])
    func rejects(input: String) {
        #expect(throws: PesaCoreError.self) { try MSISDN(input) }
        do {
            _ = try MSISDN(input)
        } catch {
            #expect(error.code == .invalidPhone && error.field == "phone" && !error.message.isEmpty)
        }
    }

    @Test func masksForLogs() throws {
        #expect(try MSISDN("0708374149").masked == "2547****4149")
    }
}
