import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird

/// STK push and STK query (Daraja's M-Pesa Express API documentation): validation in Daraja's order, scripted
/// outcomes, callbacks.
struct STKController {
    let services: SandboxServices

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post(RouterPath(DarajaEndpoint.stkPush.path)) { request, _ in try await self.push(request) }
        router.post(RouterPath(DarajaEndpoint.stkQuery.path)) { request, _ in try await self.query(request) }
    }

    func push(_ request: Request) async throws(SandboxHTTPError) -> Response {
        let consumerKey = try RequestReader.authorize(request, family: .stk, services: services)
        try arrestSpikes(consumerKey)
        let body = try await RequestReader.body(request, services: services)
        let shortCode = try checkPassword(body)
        let transactionType = body.text(.transactionType)
        guard transactionType == STKTransactionType.payBill || transactionType == STKTransactionType.buyGoods else {
            throw .invalid(.transactionType)
        }
        guard let phone = body.text(.phoneNumber), FieldRules.isMSISDN(phone) else { throw .invalid(.phoneNumber) }
        guard FieldRules.isMSISDN(body.text(.partyA)) else { throw .invalid(.partyA) }
        guard let amount = FieldRules.wholeAmount(body.text(.amount), in: 1...250_000) else {
            throw .invalid(.amount)
        }
        guard FieldRules.isShortCode(body.text(.partyB)) else { throw .invalid(.partyB) }
        guard let callbackURL = body.text(.callBackURL), FieldRules.isCallbackURL(callbackURL) else {
            throw .invalid(.callBackURL)
        }
        let reference = body.text(.accountReference) ?? ""
        guard reference.count <= 12, transactionType == STKTransactionType.buyGoods || !reference.isEmpty else {
            throw .invalid(.accountReference)
        }
        guard (body.text(.transactionDesc) ?? "").count <= 13 else { throw .invalid(.transactionDesc) }
        let outcome = ScriptedOutcome.forMSISDN(phone)
        if outcome == .requestFails { throw .internalError }
        try lockSubscriber(phone)
        return accept(shortCode: shortCode, phone: phone, amount: amount, callbackURL: callbackURL, outcome: outcome)
    }

    /// BusinessShortCode, Timestamp, then Password against the shortcode's passkey.
    private func checkPassword(_ body: [String: JSONValue]) throws(SandboxHTTPError) -> String {
        guard let shortCode = body.text(.businessShortCode), FieldRules.isShortCode(shortCode) else {
            throw .invalid(.businessShortCode)
        }
        guard let timestamp = body.text(.timestamp), let instant = try? KenyaTime.date(fromTimestamp: timestamp) else {
            throw .invalid(.timestamp)
        }
        if let window = services.configuration.timestampWindowSeconds,
            abs(instant.timeIntervalSinceNow) > TimeInterval(window)
        {
            throw .invalid(.timestamp)
        }
        guard let passkey = services.state.withLock({ $0.passkeys[shortCode] }) else { throw .merchantDoesNotExist }
        guard let password = body.text(.password),
            STKPassword.verify(password, shortCode: shortCode, passkey: passkey, timestamp: timestamp)
        else { throw .wrongCredentials }
        return shortCode
    }

    private func accept(
        shortCode: String, phone: String, amount: Int64, callbackURL: String, outcome: ScriptedOutcome
    ) -> Response {
        let now = Date()
        let time = KenyaTime(now)
        let merchantID = IDGenerator.requestID()
        let resultCode = outcome.isSuccess ? "0" : Self.failureCode(outcome)
        let receipt = outcome.isSuccess ? IDGenerator.receipt(at: time) : nil
        let record = services.state.withLock { storage in
            // Daraja's ids are unique: a push to the same phone in the same millisecond (possible with the
            // subscriber lock lifted) takes the next free millisecond of the id's time part.
            var checkoutID = IDGenerator.checkoutRequestID(at: time, msisdn: phone)
            var step = 1.0
            while storage.stk[checkoutID] != nil {
                checkoutID = IDGenerator.checkoutRequestID(
                    at: KenyaTime(now.addingTimeInterval(step / 1000)), msisdn: phone)
                step += 1
            }
            let record = STKRecord(
                merchantRequestID: merchantID, checkoutRequestID: checkoutID, shortCode: shortCode, phoneNumber: phone,
                amount: amount, resultCode: resultCode, resultDesc: ResultCodeTable.stk[resultCode] ?? "Failed",
                finalAt: .now + .milliseconds(services.configuration.callbackDelayMs), receipt: receipt,
                completedTimestamp: time.timestamp
            )
            storage.stk[checkoutID] = record
            storage.stkPushCount += 1
            guard let receipt else { return record }
            storage.withAccounts(shortCode) { $0.workingCents += amount * 100 }
            storage.record(
                TransactionRecord(
                    kind: .stk, receipt: receipt, amount: amount, debitPartyName: "\(phone) - SANDBOX CUSTOMER",
                    creditPartyName: "\(shortCode) - Sandbox Shop", shortCode: shortCode,
                    originatorConversationID: merchantID, conversationID: checkoutID,
                    completedTimestamp: time.timestamp, succeeded: true
                ),
                alsoKnownAs: [checkoutID, merchantID]
            )
            return record
        }
        let checkoutID = record.checkoutRequestID
        if outcome.deliveryCount > 0 {
            let body = Data(Self.callback(for: record).jsonBytes())
            services.sender.schedule(json: body, to: callbackURL, count: outcome.deliveryCount)
        }
        let accepted = "Success. Request accepted for processing"
        let ack = STKPushResponse(
            merchantRequestID: merchantID, checkoutRequestID: checkoutID, responseCode: "0",
            responseDescription: accepted, customerMessage: accepted
        )
        return JSONResponse.make(bytes: ack.jsonBytes())
    }

    static func failureCode(_ outcome: ScriptedOutcome) -> String {
        if case .failure(let code) = outcome { return code }
        return "1025"
    }

    /// The callback body, shaped like `stk_callback_success.json` / `stk_callback_cancelled_1032.json`.
    static func callback(for record: STKRecord) -> STKCallbackEnvelope {
        var metadata: STKCallback.Metadata?
        if let receipt = record.receipt {
            metadata = .init(items: [
                .init(.amount, .integer(record.amount)),
                .init(.mpesaReceiptNumber, .string(receipt)),
                .init(.balance, nil),
                .init(.transactionDate, .integer(Int64(record.completedTimestamp) ?? 0)),
                .init(.phoneNumber, .integer(Int64(record.phoneNumber) ?? 0)),
            ])
        }
        return STKCallbackEnvelope(
            callback: STKCallback(
                merchantRequestID: record.merchantRequestID, checkoutRequestID: record.checkoutRequestID,
                resultCode: FlexibleString(numberIfPossible: record.resultCode), resultDesc: record.resultDesc,
                callbackMetadata: metadata
            )
        )
    }

    func query(_ request: Request) async throws(SandboxHTTPError) -> Response {
        _ = try RequestReader.authorize(request, family: .stk, services: services)
        let body = try await RequestReader.body(request, services: services)
        _ = try checkPassword(body)
        guard let checkoutID = body.text(.checkoutRequestID),
            let record = services.state.withLock({ $0.stk[checkoutID] })
        else { throw .invalid(.checkoutRequestID) }
        guard record.finalAt <= .now else {
            throw SandboxHTTPError(
                .internalServerError, DarajaErrorCode.merchantValidation, DarajaErrorCode.beingProcessedMessage,
                requestID: checkoutID
            )
        }
        return JSONResponse.make(
            STKQueryResponse(
                responseCode: "0", responseDescription: "The service request has been accepted successfully",
                merchantRequestID: record.merchantRequestID, checkoutRequestID: record.checkoutRequestID,
                resultCode: FlexibleString(record.resultCode), resultDesc: record.resultDesc
            )
        )
    }
}
