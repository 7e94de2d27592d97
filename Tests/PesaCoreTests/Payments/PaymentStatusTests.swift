import PesaCore
import Testing

@Suite struct PaymentStatusTests {
    typealias Outcome = PaymentStatus.TransitionOutcome

    /// Written out in full: rows are `from`, columns follow `PaymentStatus.allCases`
    /// (pending, succeeded, failed, cancelled, timeout, reversed, unknown).
    static let table: [PaymentStatus: [Outcome]] = [
        .pending: [.duplicate, .changes, .changes, .changes, .changes, .illegal, .changes],
        .unknown: [.illegal, .changes, .changes, .changes, .changes, .illegal, .duplicate],
        .succeeded: [.late, .duplicate, .late, .late, .late, .changes, .late],
        // A failure becomes `unknown` when a success that would overturn it does not prove itself.
        .failed: [.late, .late, .duplicate, .late, .late, .late, .changes],
        .cancelled: [.late, .late, .late, .duplicate, .late, .late, .changes],
        .timeout: [.late, .late, .late, .late, .duplicate, .late, .changes],
        .reversed: [.late, .late, .late, .late, .late, .duplicate, .late],
    ]

    @Test(arguments: PaymentStatus.allCases, PaymentStatus.allCases)
    func transitions(from: PaymentStatus, to: PaymentStatus) throws {
        let row = try #require(Self.table[from])
        let column = try #require(PaymentStatus.allCases.firstIndex(of: to))
        #expect(from.transition(to: to) == row[column], "\(from) -> \(to)")
    }

    @Test func finalStates() {
        #expect(PaymentStatus.allCases.filter(\.isFinal) == [.succeeded, .failed, .cancelled, .timeout, .reversed])
    }

    @Test(arguments: [
        ("0", PaymentStatus.succeeded), (" 0 ", .succeeded), ("1032", .cancelled), ("1037", .timeout),
        ("1019", .timeout), ("1", .failed), ("2001", .failed), ("1025", .failed), ("SFC_IC0003", .failed),
        ("", .failed), ("C2B00012", .failed),
    ])
    func resultCodes(code: String, status: PaymentStatus) {
        #expect(ResultCode(code).paymentStatus == status)
    }

    @Test func numericResultCodes() {
        #expect(ResultCode(0).paymentStatus == .succeeded)
        #expect(ResultCode(1032).rawValue == "1032")
    }

    @Test func b2cCommandsMapToDaraja() {
        #expect(B2CCommand.businessPayment.darajaCommandID == "BusinessPayment")
        #expect(B2CCommand.salaryPayment.darajaCommandID == "SalaryPayment")
        #expect(B2CCommand.promotionPayment.darajaCommandID == "PromotionPayment")
        for command in B2CCommand.allCases { #expect(B2CCommand(darajaCommandID: command.darajaCommandID) == command) }
        #expect(B2CCommand(rawValue: "salary_payment") == .salaryPayment)
    }

    @Test func callbackKindsSpellTheURL() {
        #expect(CallbackKind(rawValue: "c2b/confirmation") == .c2bConfirmation)
        #expect(CallbackKind.allCases.count == 11)
        #expect(CallbackKind.allCases.filter(\.isQueueTimeout).count == 4)
    }
}
