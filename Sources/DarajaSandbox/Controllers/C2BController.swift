import DarajaWire
import Foundation
import HTTPTypes
import Hummingbird

/// C2B register URL and simulate, v1 and v2 (Daraja's Customer To Business (C2B) API documentation).
struct C2BController {
    let services: SandboxServices

    func addRoutes(to router: Router<BasicRequestContext>) {
        for endpoint in [DarajaEndpoint.c2bRegisterURLv1, .c2bRegisterURLv2] {
            router.post(RouterPath(endpoint.path)) { request, _ in try await self.register(request) }
        }
        for endpoint in [DarajaEndpoint.c2bSimulatev1, .c2bSimulatev2] {
            router.post(RouterPath(endpoint.path)) { request, _ in try await self.simulate(request) }
        }
    }

    func register(_ request: Request) async throws(SandboxHTTPError) -> Response {
        _ = try RequestReader.authorize(request, family: .initiator, services: services)
        let body = try await RequestReader.body(request, services: services)
        guard let shortCode = body.text(.shortCode), FieldRules.isShortCode(shortCode) else {
            throw .invalid(.shortCode)
        }
        guard let responseType = body.text(.responseType), ["Completed", "Cancelled"].contains(responseType) else {
            throw .invalid(.responseType)
        }
        guard let confirmationURL = body.text(.confirmationURL), FieldRules.isCallbackURL(confirmationURL) else {
            throw .invalid(.confirmationURL)
        }
        guard let validationURL = body.text(.validationURL), FieldRules.isCallbackURL(validationURL) else {
            throw .invalid(.validationURL)
        }
        let registration = C2BRegistration(
            responseType: responseType, confirmationURL: confirmationURL, validationURL: validationURL
        )
        services.state.withLock { $0.c2bRegistrations[shortCode] = registration }
        return JSONResponse.make(
            C2BAcknowledgement(
                originatorConversationID: IDGenerator.requestID(), responseCode: "0", responseDescription: "Success"
            )
        )
    }

    func simulate(_ request: Request) async throws(SandboxHTTPError) -> Response {
        _ = try RequestReader.authorize(request, family: .initiator, services: services)
        let body = try await RequestReader.body(request, services: services)
        guard let shortCode = body.text(.shortCode), FieldRules.isShortCode(shortCode) else {
            throw .invalid(.shortCode)
        }
        let command = body.text(.commandID)
        guard command == "CustomerPayBillOnline" || command == "CustomerBuyGoodsOnline" else {
            throw .invalid(.commandID)
        }
        guard let amount = FieldRules.wholeAmount(body.text(.amount), in: 1...250_000) else {
            throw .invalid(.amount)
        }
        guard let msisdn = body.text(.msisdn, .msisdnUppercase), FieldRules.isMSISDN(msisdn) else {
            throw .invalid(.msisdn)
        }
        if ScriptedOutcome.forMSISDN(msisdn) == .requestFails { throw .internalError }
        let billReference = body.text(.billRefNumber) ?? ""
        let registration = services.state.withLock { $0.c2bRegistrations[shortCode] }
        let time = KenyaTime(Date())
        let receipt = IDGenerator.receipt(at: time)
        let cents = amount * 100
        let balanceAfter = services.state.withLock { storage in
            storage.record(
                TransactionRecord(
                    kind: .c2b, receipt: receipt, amount: amount, debitPartyName: "\(msisdn) - SANDBOX CUSTOMER",
                    creditPartyName: "\(shortCode) - Sandbox Shop", shortCode: shortCode, originatorConversationID: "",
                    conversationID: "", completedTimestamp: time.timestamp, succeeded: true
                ),
                alsoKnownAs: []
            )
            return storage.withAccounts(shortCode) { accounts in
                accounts.workingCents += cents
                return Accounts.format(accounts.workingCents)
            }
        }
        if let registration {
            let transaction = C2BTransaction(
                transactionType: command == "CustomerBuyGoodsOnline" ? "Buy Goods" : "Pay Bill", transID: receipt,
                transTime: time.timestamp, transAmount: FlexibleString(Accounts.format(cents)),
                businessShortCode: FlexibleString(shortCode), billRefNumber: billReference, invoiceNumber: "",
                orgAccountBalance: "", thirdPartyTransID: "", msisdn: Self.masked(msisdn), firstName: "John",
                middleName: "", lastName: ""
            )
            let state = services.state
            let flow = C2BDelivery(registration: registration, transaction: transaction, balanceAfter: balanceAfter) {
                state.withLock { storage in
                    storage.transactionsByReceipt[receipt] = nil
                    storage.withAccounts(shortCode) { $0.workingCents -= cents }
                }
            }
            let dueAt = ContinuousClock.now + .milliseconds(services.configuration.callbackDelayMs)
            services.sender.enqueue(CallbackJob(dueAt: dueAt, delivery: .c2b(flow)))
        }
        return JSONResponse.make(
            C2BAcknowledgement(
                originatorConversationID: IDGenerator.requestID(), responseCode: "0",
                responseDescription: "Accept the service request successfully."
            )
        )
    }

    /// `25470****149`: the first five and last three digits, as after Daraja's data-minimisation change.
    static func masked(_ msisdn: String) -> String {
        String(msisdn.prefix(5)) + "****" + String(msisdn.suffix(3))
    }
}
