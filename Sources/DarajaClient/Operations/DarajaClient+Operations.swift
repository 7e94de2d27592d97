public import DarajaWire
public import Foundation

extension DarajaClient {
    /// STK push (M-Pesa Express). Money-moving: never retried; an unclear fate throws `.outcomeUnknown`.
    public func stkPush(_ input: STKPushInput, at date: Date = Date()) async throws(DarajaError) -> STKPushResponse {
        try await stkPush(input.request(at: date))
    }

    /// STK push with a ready wire request.
    public func stkPush(_ request: STKPushRequest) async throws(DarajaError) -> STKPushResponse {
        try await post(.stkPush, body: request, kind: .mutation)
    }

    /// STK query with a fresh timestamp and password. "Being processed" becomes `.pending`.
    public func stkQuery(
        businessShortCode: String, passkey: DarajaSecret, checkoutRequestID: String, at date: Date = Date()
    ) async throws(DarajaError) -> STKQueryStatus {
        let (password, timestamp) = STKPassword.make(shortCode: businessShortCode, passkey: passkey.value, at: date)
        let request = STKQueryRequest(
            businessShortCode: FlexibleString(numberIfPossible: businessShortCode), password: password,
            timestamp: timestamp, checkoutRequestID: checkoutRequestID
        )
        do {
            return .completed(try await post(.stkQuery, body: request, kind: .query))
        } catch  where error.isBeingProcessed {
            return .pending
        }
    }

    /// C2B register URL, v1 or v2 (a per-tenant setting: Daraja enables them as separate products).
    public func registerC2BURLs(
        _ request: C2BRegisterURLRequest, version: Int = 1
    ) async throws(DarajaError) -> C2BAcknowledgement {
        try await post(version == 2 ? .c2bRegisterURLv2 : .c2bRegisterURLv1, body: request, kind: .mutation)
    }

    /// C2B simulate (sandbox only).
    public func simulateC2B(_ request: C2BSimulateRequest, version: Int = 1) async throws(DarajaError)
        -> C2BAcknowledgement
    {
        try await post(version == 2 ? .c2bSimulatev2 : .c2bSimulatev1, body: request, kind: .mutation)
    }

    /// B2C payment: v3 when the request carries an `OriginatorConversationID`, else legacy v1.
    public func b2cPayment(_ request: B2CPaymentRequest) async throws(DarajaError) -> InitiatorAcknowledgement {
        let endpoint: DarajaEndpoint = request.originatorConversationID == nil ? .b2cPaymentv1 : .b2cPaymentv3
        return try await post(endpoint, body: request, kind: .mutation)
    }

    /// B2B payment (PayBill, Buy Goods, float moves). Money-moving.
    public func b2bPayment(_ request: B2BPaymentRequest) async throws(DarajaError) -> InitiatorAcknowledgement {
        try await post(.b2bPayment, body: request, kind: .mutation)
    }

    /// Reversal of a C2B/STK receipt. Money-moving.
    public func reversal(_ request: ReversalRequest) async throws(DarajaError) -> InitiatorAcknowledgement {
        try await post(.reversal, body: request, kind: .mutation)
    }

    /// Account balance; the figures come asynchronously to `ResultURL`. A query: retried.
    public func accountBalance(_ request: AccountBalanceRequest) async throws(DarajaError) -> InitiatorAcknowledgement {
        try await post(.accountBalance, body: request, kind: .query)
    }

    /// Transaction status; the answer comes asynchronously to `ResultURL`. A query: retried.
    public func transactionStatus(
        _ request: TransactionStatusRequest
    ) async throws(DarajaError) -> InitiatorAcknowledgement {
        try await post(.transactionStatus, body: request, kind: .query)
    }
}
