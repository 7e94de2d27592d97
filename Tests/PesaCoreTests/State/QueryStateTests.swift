@testable import PesaCore
import Testing

@Suite struct QueryStateTests {
    static let queryID = QueryID(randomBytes: Fixtures.bytes(77))

    static func sent(payment: PaymentID? = nil) -> TenantEvent {
        .querySent(.init(
            queryID: queryID, kind: .balance, reason: .api, conversationID: "AG_1", originatorConversationID: "O_1",
            paymentID: payment))
    }

    @Test func aQueryIsPendingUntilItsFirstResult() throws {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated, Self.sent()])
        #expect(state.query(conversationID: "AG_1")?.status == .pending)
        try state.applyAll([
            .queryCompleted(.init(queryID: Self.queryID, resultCode: ResultCode("2001"), resultDesc: "bad initiator",
                                  parameters: [:])),
            .queryCompleted(.init(queryID: Self.queryID, resultCode: ResultCode(0), resultDesc: "late",
                                  parameters: ["x": "y"])),
        ])
        let query = try #require(state.query(id: Self.queryID))
        #expect(query.status == .failed)
        #expect(query.resultDesc == "bad initiator")
        #expect(query.parameters.isEmpty)
    }

    @Test func refusesAQueryAboutAnUnknownPaymentOrAResultOfNoQuery() throws {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated])
        #expect(throws: PesaCoreError.self) { try state.validate(Self.sent(payment: Fixtures.paymentID(9))) }
        #expect(throws: PesaCoreError.self) {
            try state.validate(.queryCompleted(.init(
                queryID: Self.queryID, resultCode: ResultCode(0), resultDesc: "", parameters: [:])))
        }
        try state.applyAll([Self.sent()])
        #expect(throws: PesaCoreError.self) { try state.validate(Self.sent()) }
    }

    @Test func aQueryAboutAPaymentIsOnItsTimeline() throws {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated, Fixtures.stk(1), Self.sent(payment: Fixtures.paymentID(1))])
        let payment = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(payment.lastEventSeq == state.lastSeq)
    }
}
