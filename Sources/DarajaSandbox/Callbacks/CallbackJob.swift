import DarajaWire
import Foundation

/// One asynchronous delivery the sandbox owes a merchant.
struct CallbackJob: Sendable {
    enum Delivery: Sendable {
        /// POST `body` to `url` (STK callback, `Result` envelope).
        case post(url: String, body: Data)
        /// C2B: validation first, then confirmation unless the merchant rejects.
        case c2b(C2BDelivery)
    }

    let dueAt: ContinuousClock.Instant
    let delivery: Delivery
}

/// The C2B simulate flow (Daraja's Customer To Business (C2B) API documentation).
struct C2BDelivery: Sendable {
    let registration: C2BRegistration
    let transaction: C2BTransaction
    /// The confirmation's `OrgAccountBalance`.
    let balanceAfter: String
    /// Undo the payment when the merchant (or `ResponseType` `Cancelled`) rejects it.
    let onRejected: @Sendable () -> Void
}
