extension TenantEvent {
    /// `payment.stk_requested`: journaled before Daraja is called, so a callback that beats the answer
    /// still finds its payment. Carries the idempotency key and request hash, so a retry is recognised after a restart.
    public struct STKPushRequested: Sendable, Equatable, Codable {
        public var paymentID: PaymentID
        public var amount: Amount
        public var phone: MSISDN
        public var accountReference: String
        public var description: String
        public var transactionType: TransactionType?
        public var idempotencyKey: String?
        /// Hex SHA-256 of the request body.
        public var requestHash: String?

        /// The short-code profile it went through (absent in events written before profiles).
        public var shortCodeID: ShortCodeID?

        public init(paymentID: PaymentID, amount: Amount, phone: MSISDN, accountReference: String,
                    description: String, transactionType: TransactionType? = nil, idempotencyKey: String? = nil,
                    requestHash: String? = nil) {
            self.paymentID = paymentID
            self.amount = amount
            self.phone = phone
            self.accountReference = accountReference
            self.description = description
            self.transactionType = transactionType
            self.idempotencyKey = idempotencyKey
            self.requestHash = requestHash
        }

        enum CodingKeys: String, CodingKey {
            case shortCodeID = "short_code_id"
            case amount, phone, description
            case paymentID = "payment_id"
            case accountReference = "account_reference"
            case transactionType = "transaction_type"
            case idempotencyKey = "idempotency_key"
            case requestHash = "request_hash"
        }
    }

    /// `payment.b2c_requested`: a payout, alone or as an item of a batch.
    public struct B2CRequested: Sendable, Equatable, Codable {
        public var paymentID: PaymentID
        public var amount: Amount
        public var phone: MSISDN
        public var command: B2CCommand
        public var remarks: String
        public var occasion: String?
        public var batchID: BatchID?
        /// With `batchID`: the row (0-based) this payout pays; the row turns `sending` with this line.
        public var batchItem: Int64?
        public var idempotencyKey: String?
        public var requestHash: String?

        /// The short-code profile it went through (absent in events written before profiles).
        public var shortCodeID: ShortCodeID?

        public init(paymentID: PaymentID, amount: Amount, phone: MSISDN, command: B2CCommand, remarks: String,
                    occasion: String? = nil, batchID: BatchID? = nil, idempotencyKey: String? = nil,
                    requestHash: String? = nil) {
            self.paymentID = paymentID
            self.amount = amount
            self.phone = phone
            self.command = command
            self.remarks = remarks
            self.occasion = occasion
            self.batchID = batchID
            self.idempotencyKey = idempotencyKey
            self.requestHash = requestHash
        }

        enum CodingKeys: String, CodingKey {
            case shortCodeID = "short_code_id"
            case amount, phone, command, remarks, occasion
            case paymentID = "payment_id"
            case batchID = "batch_id"
            case batchItem = "batch_item"
            case idempotencyKey = "idempotency_key"
            case requestHash = "request_hash"
        }
    }

    /// `payment.reversal_requested`: reverses a succeeded payment, named by its M-Pesa receipt.
    public struct ReversalRequested: Sendable, Equatable, Codable {
        public var paymentID: PaymentID
        /// The payment being reversed, when it is one of this organization's.
        public var originalPaymentID: PaymentID?
        public var mpesaReceipt: String
        public var amount: Amount
        public var remarks: String
        public var idempotencyKey: String?
        public var requestHash: String?

        /// The short-code profile it went through (absent in events written before profiles).
        public var shortCodeID: ShortCodeID?

        public init(paymentID: PaymentID, originalPaymentID: PaymentID?, mpesaReceipt: String, amount: Amount,
                    remarks: String, idempotencyKey: String? = nil, requestHash: String? = nil) {
            self.paymentID = paymentID
            self.originalPaymentID = originalPaymentID
            self.mpesaReceipt = mpesaReceipt
            self.amount = amount
            self.remarks = remarks
            self.idempotencyKey = idempotencyKey
            self.requestHash = requestHash
        }

        enum CodingKeys: String, CodingKey {
            case shortCodeID = "short_code_id"
            case amount, remarks
            case paymentID = "payment_id"
            case originalPaymentID = "original_payment_id"
            case mpesaReceipt = "mpesa_receipt"
            case idempotencyKey = "idempotency_key"
            case requestHash = "request_hash"
        }
    }

    /// `payment.c2b_received`: a C2B confirmation (the customer paid the organization's PayBill or Till).
    /// It is a payment that starts `succeeded`.
    public struct C2BReceived: Sendable, Equatable, Codable {
        public var paymentID: PaymentID
        public var amount: Amount
        /// As Daraja sent it (newer Daraja versions send a hash instead of the number), not validated.
        public var phone: String
        public var mpesaReceipt: String
        public var accountReference: String
        /// Daraja's `TransTime` in ms, when it could be read.
        public var transactionAtMs: Int64?

        /// The short-code profile it went through (absent in events written before profiles).
        public var shortCodeID: ShortCodeID?

        public init(paymentID: PaymentID, amount: Amount, phone: String, mpesaReceipt: String,
                    accountReference: String, transactionAtMs: Int64? = nil) {
            self.paymentID = paymentID
            self.amount = amount
            self.phone = phone
            self.mpesaReceipt = mpesaReceipt
            self.accountReference = accountReference
            self.transactionAtMs = transactionAtMs
        }

        enum CodingKeys: String, CodingKey {
            case shortCodeID = "short_code_id"
            case amount, phone
            case paymentID = "payment_id"
            case mpesaReceipt = "mpesa_receipt"
            case accountReference = "account_reference"
            case transactionAtMs = "transaction_at_ms"
        }
    }
}
