import Synchronization

/// Everything the sandbox remembers, behind one lock (short critical sections, no I/O under the lock).
final class SandboxState: Sendable {
    struct Storage {
        var tokens: BoundedDictionary<String, TokenRecord>
        var tokenRequestCount = 0
        var passkeys: [String: String]
        var stk: BoundedDictionary<String, STKRecord>
        var transactionsByReceipt: BoundedDictionary<String, TransactionRecord>
        /// OriginatorConversationID, ConversationID, CheckoutRequestID -> receipt.
        var receiptsByConversation: BoundedDictionary<String, String>
        var b2cOriginatorIDs: BoundedDictionary<String, Bool>
        var c2bRegistrations: [String: C2BRegistration] = [:]
        var accounts: [String: Accounts] = [:]
        var stkPushCount = 0
        /// Phone -> the instant its pending STK push becomes final (subscriber lock).
        var lockedSubscribers: BoundedDictionary<String, ContinuousClock.Instant>
        /// Consumer key -> (second, pushes in that second) (spike arrest).
        var pushesThisSecond: [String: (second: Int64, count: Int)] = [:]

        mutating func record(_ transaction: TransactionRecord, alsoKnownAs ids: [String]) {
            transactionsByReceipt[transaction.receipt] = transaction
            for id in ids where !id.isEmpty { receiptsByConversation[id] = transaction.receipt }
        }

        func transaction(receipt: String?, conversationID: String?) -> TransactionRecord? {
            if let receipt, !receipt.isEmpty, let found = transactionsByReceipt[receipt] { return found }
            if let conversationID, !conversationID.isEmpty, let receipt = receiptsByConversation[conversationID] {
                return transactionsByReceipt[receipt]
            }
            return nil
        }

        /// Moves `cents` by `change` on `shortCode`'s accounts, creating default accounts on first use.
        mutating func withAccounts<Result>(_ shortCode: String, _ change: (inout Accounts) -> Result) -> Result {
            var current = accounts[shortCode] ?? Accounts()
            let result = change(&current)
            accounts[shortCode] = current
            return result
        }
    }

    let storage: Mutex<Storage>

    init(configuration: SandboxConfiguration) {
        storage = Mutex(
            Storage(
                tokens: BoundedDictionary(countMax: configuration.tokenCountMax),
                passkeys: configuration.passkeys,
                stk: BoundedDictionary(countMax: configuration.transactionCountMax),
                transactionsByReceipt: BoundedDictionary(countMax: configuration.transactionCountMax),
                receiptsByConversation: BoundedDictionary(countMax: configuration.transactionCountMax * 3),
                b2cOriginatorIDs: BoundedDictionary(countMax: configuration.transactionCountMax),
                lockedSubscribers: BoundedDictionary(countMax: configuration.transactionCountMax)
            )
        )
    }

    func withLock<Result: Sendable>(_ body: (inout Storage) -> Result) -> Result {
        storage.withLock { body(&$0) }
    }
}
