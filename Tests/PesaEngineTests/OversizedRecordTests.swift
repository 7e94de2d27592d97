import Foundation
import PesaCore
import PesaStore
import Testing

@testable import PesaEngine

/// What would not fit in one journal line is refused alone, with a clear answer, and nothing is written.
@Suite struct OversizedRecordTests {
    /// A callback body whose JSON-escaped copy outgrows a journal line (quotes and backslashes double).
    @Test func aCallbackTooLargeToKeepIsRefusedAndTheNextOneIsKept() async throws {
        try await PaymentsHarness.run { harness in
            let organization = try await harness.gateway.organization(harness.organization, by: harness.admin)
            let token = organization.openedToken
            let engine = try await harness.gateway.engine(harness.organization)
            let before = engine.store.journal.head
            let quotes = String(repeating: #"\""#, count: 20_000)
            let body = Array(#"{"Body":{"stkCallback":{"ResultDesc":"\#(quotes)"}}}"#.utf8)
            #expect(body.count < Limits.callbackBodyBytesMax)
            let refused = await #expect(throws: EngineError.self) {
                try await harness.gateway.receiveCallback(slug: harness.slug, token: token, kind: .stk, body: body)
            }
            #expect(refused?.code == .tooLarge)
            #expect(engine.store.journal.head == before)
            // The tenant goes on: the next callback is kept (raw, answered as malformed: it is not a whole one).
            let small = Array(#"{"Body":{"stkCallback":{"ResultDesc":"\#(quotes.prefix(200))"}}}"#.utf8)
            let answer = try await harness.gateway.receiveCallback(
                slug: harness.slug, token: token, kind: .stk, body: small)
            #expect(answer == .malformed("not an STK callback"))
            #expect(engine.store.journal.head.seq == before.seq + 1)
        }
    }

    /// Names are counted in Unicode scalars: one character with thousands of combining marks is too long
    /// for the field, not for the journal.
    @Test func aNameOfCombiningMarksIsAnInvalidField() async throws {
        let harness = try await EngineHarness.start()
        let acme = try await harness.makeOrganization("acme")
        let admin = EngineHarness.member(.orgAdmin, of: acme)
        let name = "a" + String(repeating: "\u{0301}", count: 30_000)
        #expect(name.count == 1)
        let error = await #expect(throws: EngineError.self) {
            try await harness.gateway.createAPIKey(
                in: acme, name: name, role: .manager, environment: "sandbox", keyHash: "ab12", keyHint: "…", by: admin)
        }
        #expect(error?.code == .invalidField)
        #expect(error?.param == "name")
    }
}
