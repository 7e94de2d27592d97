import PesaCore

/// Deterministic ids and events for tests.
enum Fixtures {
    static func bytes(_ seed: UInt64, tag: UInt8 = 0) -> [UInt8] {
        var result = [UInt8](repeating: tag, count: 16)
        for index in 0..<8 { result[15 - index] = UInt8(truncatingIfNeeded: seed >> UInt64(index * 8)) }
        return result
    }

    static func paymentID(_ seed: UInt64) -> PaymentID { PaymentID(randomBytes: bytes(seed, tag: 1)) }
    static func userID(_ seed: UInt64) -> UserID { UserID(randomBytes: bytes(seed, tag: 2)) }
    static func keyID(_ seed: UInt64) -> APIKeyID { APIKeyID(randomBytes: bytes(seed, tag: 3)) }
    static let endpointID = WebhookEndpointID(randomBytes: bytes(7, tag: 5))
    static let orgID = OrganizationID(randomBytes: bytes(42, tag: 4))
    static let phone: MSISDN = {
        guard let phone = try? MSISDN("0708374149") else { preconditionFailure("fixture phone") }
        return phone
    }()

    static let organizationCreated = TenantEvent.organizationCreated(.init(
        organizationID: orgID, name: "Acme Shop", slug: slug("acme-shop"), plan: "starter",
        subscriptionStatus: .active, currentPeriodStartMs: 1_700_000_000_000,
        currentPeriodEndMs: 1_702_592_000_000, callbackToken: "cbt_0123456789"))

    static func slug(_ text: String) -> OrgSlug {
        guard let slug = try? OrgSlug(text) else { preconditionFailure("fixture slug") }
        return slug
    }

    static func stk(_ seed: UInt64, shillings: Int64 = 100, key: String? = nil) -> TenantEvent {
        .stkPushRequested(.init(
            paymentID: paymentID(seed), amount: Amount(shillings: shillings), phone: phone,
            accountReference: "INV\(seed % 1000)", description: "Order \(seed % 100)", transactionType: .paybill,
            idempotencyKey: key, requestHash: key.map { _ in String(repeating: "ab", count: 32) }))
    }

    static func accepted(_ seed: UInt64) -> TenantEvent {
        .paymentAccepted(.init(
            paymentID: paymentID(seed), merchantRequestID: "29115-\(seed)-1",
            checkoutRequestID: "ws_CO_1403202510152418\(seed)"))
    }

    static func settled(_ seed: UInt64, code: String = "0", source: TenantEvent.SettlementSource = .callback)
        -> TenantEvent
    {
        let result = ResultCode(code)
        return .paymentSettled(.init(
            paymentID: paymentID(seed), resultCode: result,
            resultDesc: result.paymentStatus == .succeeded
                ? "The service request is processed successfully." : "Failed",
            mpesaReceipt: result.paymentStatus == .succeeded ? "RCP\(seed)" : nil, source: source))
    }
}

extension TenantState {
    /// Applies events at consecutive sequence numbers from `lastSeq + 1`, one second apart.
    mutating func applyAll(_ events: [TenantEvent]) throws(PesaCoreError) {
        for event in events {
            let seq = lastSeq + 1
            try apply(event, seq: seq, atMs: 1_700_000_000_000 + Int64(seq) * 1000)
        }
    }
}
