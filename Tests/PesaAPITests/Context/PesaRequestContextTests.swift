import Foundation
import PesaAPI
import Testing

@Suite struct PesaRequestContextTests {
    @Test func responsesKeepSlashesAndUseRFC3339Dates() throws {
        struct Body: Encodable {
            let url: String
            let at: Date
        }
        let encoder = PesaRequestContextFixture.make().responseEncoder
        let data = try encoder.encode(Body(url: "https://pesa.example/callbacks/x", at: Date(timeIntervalSince1970: 0)))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("https://pesa.example/callbacks/x"))
        #expect(text.contains("1970-01-01T00:00:00Z"))
    }

    @Test func requestBodiesDefaultToTheContractsLimit() {
        let context = PesaRequestContextFixture.make()
        #expect(context.bodyBytesMax == 64 * 1024)
        #expect(context.maxUploadSize == context.bodyBytesMax)
        #expect(context.requestID.hasPrefix("req_") && context.requestID.count == 30)
        #expect(context.identity == nil)
    }
}
