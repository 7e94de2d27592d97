import PesaCore
import Testing

@Suite struct TenantEventCodingTests {
    static let samples: [TenantEvent] = [
        Fixtures.organizationCreated,
        .organizationUpdated(.init(plan: "business", rateLimitOverride: 500, rateLimitBurstOverride: 50)),
        .userCreated(.init(userID: Fixtures.userID(1), email: "a@acme.co.ke", role: .manager,
                           passwordHash: "$2b$12$abc/def")),
        .userUpdated(.init(userID: Fixtures.userID(1), role: .user)),
        .userDeleted(.init(userID: Fixtures.userID(1))),
        .apiKeyCreated(.init(keyID: Fixtures.keyID(1), name: "backend", role: .manager, keyHash: "ff00",
                             keyHint: "pk_test_…a1b2", environment: "sandbox",
                             rateLimit: RateLimit(perMinute: 120, burst: 20))),
        .apiKeyRevoked(.init(keyID: Fixtures.keyID(1))),
        .credentialsUpdated(.init(version: 1, environment: "sandbox", businessShortCode: "174379",
                                  hints: ["passkey": "****2c91", "consumer_key": "****aa10"])),
        .auditRecorded(.init(actor: "usr_x", action: "user.create", target: "usr_y", requestID: "req_z")),
        Fixtures.stk(1, key: "k-1"),
        .b2cRequested(.init(paymentID: Fixtures.paymentID(2), amount: Amount(shillings: 500), phone: Fixtures.phone,
                            command: .salaryPayment, remarks: "March", occasion: nil)),
        .reversalRequested(.init(paymentID: Fixtures.paymentID(3), originalPaymentID: Fixtures.paymentID(1),
                                 mpesaReceipt: "RCP1", amount: Amount(shillings: 100), remarks: "refund")),
        .c2bReceived(.init(paymentID: Fixtures.paymentID(4), amount: Amount(shillings: 50), phone: "2547****4149",
                           mpesaReceipt: "C2B4", accountReference: "ACC", transactionAtMs: 5)),
        Fixtures.accepted(1),
        .paymentUpstreamFailed(.init(paymentID: Fixtures.paymentID(1), status: .failed, errorCode: "400.002.02",
                                     errorMessage: "Bad Request - Invalid PhoneNumber")),
        .callbackReceived(.init(kind: .stk, body: "{\"Body\":{\"url\":\"https://x/y\"}}", disposition: .matched,
                                paymentID: Fixtures.paymentID(1))),
        Fixtures.settled(1),
        .reconciliationAttempted(.init(paymentID: Fixtures.paymentID(1), attempt: 2, outcome: .stillPending)),
        .batchCreated(.init(batchID: BatchID(slug: Fixtures.slug("acme"), sequence: 9), command: .businessPayment,
                            itemCount: 2, total: Amount(shillings: 30), shortCodeID: nil, contentHash: "ab",
                            createdBy: "usr_x", createdByRole: .manager)),
        .balanceUpdated(.init(accounts: [.init(account: "Working Account", currency: "KES",
                                               current: Amount(minorUnits: 48_100_000),
                                               available: Amount(minorUnits: 48_100_000), reserved: .zero,
                                               uncleared: .zero)], asOfMs: 7)),
        .idempotencyRecorded(.init(key: "k", requestHash: "h", scope: "POST /v1/api-keys", resourceID: nil,
                                   statusCode: 201, responseBody: "{}")),
        .webhookEndpointCreated(.init(endpointID: Fixtures.endpointID, url: "https://acme.co.ke/hooks",
                                      events: ["payment.succeeded"], secretHint: "whsec_…x1")),
        .webhookSecretRotated(.init(endpointID: Fixtures.endpointID, secretHint: "whsec_…y2",
                                    previousValidUntilMs: 1_800_000_000_000)),
        .webhookEndpointDeleted(.init(endpointID: Fixtures.endpointID)),
        .usageRecorded(.init(month: "2026-11", apiCalls: 42)),
        .querySent(.init(queryID: QueryID(randomBytes: Fixtures.bytes(5)), kind: .transactionStatus, reason: .api,
                         conversationID: "AG_20261128_1", originatorConversationID: "5118-1",
                         paymentID: Fixtures.paymentID(2), mpesaReceipt: "SKR1ABCDEF")),
        .queryCompleted(.init(queryID: QueryID(randomBytes: Fixtures.bytes(5)), resultCode: ResultCode(0),
                              resultDesc: "Accepted", parameters: ["TransactionStatus": "Completed"])),
        .c2bValidationSet(.init(rejectUnknown: true, accountReferences: ["INV-1", "acc 2"])),
        .tokenRevoked(.init(tokenID: "jti-1", userID: Fixtures.userID(2), expiresAtMs: 1_800_000_000_000)),
        .shortCodeSaved(.init(
            shortCodeID: ShortCodeID(randomBytes: Array(repeating: 7, count: 16)), version: 2, label: "Canteen till",
            environment: "sandbox", shortCode: "600200", kind: .till, tillNumber: "654321", isDefault: true,
            hints: ["consumer_key": "****abcd", "passkey": "****c919"])),
        .shortCodeDeleted(.init(shortCodeID: ShortCodeID(randomBytes: Array(repeating: 7, count: 16)))),
        .shortCodeVerified(.init(
            shortCodeID: ShortCodeID(randomBytes: Array(repeating: 7, count: 16)), ok: false,
            error: "Invalid Authentication passed (400.008.01)")),
        .shortCodeClaimed(.init(shortCode: "600100", organizationID: Fixtures.orgID)),
        .shortCodeReleased(.init(shortCode: "600100", organizationID: Fixtures.orgID)),
        .planSaved(Plan(
            name: "growth", monthlyFee: Amount(shillings: 5_000), includedCalls: 50_000,
            overageFeePerCall: Amount(minorUnits: 30), rateLimitPerMinute: 600, includedTransactions: 5_000,
            pricePerTransaction: Amount(minorUnits: 150), hardCap: false, burst: 900, trialDays: 7)),
        .subscriptionUpdated(.init(
            status: .pastDue, reason: "invoice PESA-2026-000001 of KES 2900.00 was due on 2026-12-18",
            scheduledPlan: "free", milestone: "overdue:inv_00000000000000000000000000")),
        .invoiceSaved(Self.invoice),
        .billingSettingsSaved(BillingSettings()),
        .invoiceNumbered(.init(
            sequence: 1, number: "PESA-2026-000001", invoiceID: Self.invoice.id, organizationID: Fixtures.orgID)),
        .invoicePaymentStarted(.init(
            paymentID: PaymentID(randomBytes: Array(repeating: 9, count: 16)), invoiceID: Self.invoice.id,
            organizationID: Fixtures.orgID)),
        .batchItemsAdded(.init(batchID: BatchID(slug: Fixtures.slug("acme"), sequence: 9), firstIndex: 0,
                               items: [.init(phone: Fixtures.phone, amount: Amount(shillings: 15), reference: "R1")])),
        .batchChanged(.init(batchID: BatchID(slug: Fixtures.slug("acme"), sequence: 9), change: .itemsRetried,
                            actor: "usr_x", items: [0])),
        .batchSettingsSaved(BatchSettings(approval: .above, approvalAbove: Amount(shillings: 5000))),
        .webhookEndpointUpdated(.init(endpointID: Fixtures.endpointID, events: ["payment.succeeded"],
                                      description: "ERP", enabled: true)),
        .webhookEventCreated(.init(eventID: Self.eventID, type: .paymentSucceeded, subject: .payment,
                                   subjectID: Fixtures.paymentID(1).rawValue,
                                   deliveries: [.init(deliveryID: Self.deliveryID, endpointID: Fixtures.endpointID)])),
        .webhookDeliveryAttempted(.init(deliveryID: Self.deliveryID,
                                        attempt: WebhookAttempt(atMs: 1_764_536_500_000, statusCode: 500,
                                                                latencyMs: 12, error: nil),
                                        status: .failed, nextAttemptAtMs: nil)),
        .webhookDeliveriesQueued(.init(deliveryIDs: [Self.deliveryID], reason: .retry)),
        .c2bValidationReferencesAdded(.init(accountReferences: ["INV-3"])),
    ]

    static let eventID = EventID(randomBytes: Array(repeating: 6, count: 16))
    static let deliveryID = WebhookDeliveryID(randomBytes: Array(repeating: 7, count: 16))

    static let invoice = Invoice(
        id: InvoiceID(randomBytes: Array(repeating: 8, count: 16)), month: "2026-11", periodStartMs: 1_761_944_400_000,
        periodEndMs: 1_764_536_400_000, plan: "starter", planVersion: 1,
        lines: [
            InvoiceLine(
                item: "plan_fee", description: "Plan starter", quantity: 30, unitAmount: Amount(shillings: 2_500),
                amount: Amount(shillings: 2_500), seqFrom: 1, seqTo: 1),
            InvoiceLine(
                item: "transactions", description: "2100 transactions", quantity: 100,
                unitAmount: Amount(minorUnits: 200), amount: Amount(shillings: 200), used: 2_100, included: 2_000,
                seqFrom: 5, seqTo: 40),
        ], vatBasisPoints: 1_600, vatInclusive: false, throughSeq: 41, createdAtMs: 1_764_536_500_000)

    @Test func everyTypeHasASampleAndRoundTrips() throws {
        #expect(Self.samples.map(\.type) == TenantEvent.allTypes)
        #expect(Set(TenantEvent.allTypes).count == TenantEvent.allTypes.count)
        for event in Self.samples {
            let data = event.canonicalData()
            let decoded = try TenantEvent(type: event.type, data: data[...])
            #expect(decoded == event, "\(event.type)")
            #expect(decoded.canonicalData() == data, "\(event.type) is not canonical")
        }
    }

    @Test func canonicalFormIsSortedCompactAndUnescaped() {
        let text = String(decoding: Self.samples[15].canonicalData(), as: UTF8.self)
        #expect(text.hasPrefix("{\"body\":"))
        #expect(text.contains("https://x/y"))
        #expect(!text.contains("\\/"))
        #expect(!text.contains(": ") && !text.contains("\n"))
        let stk = String(decoding: Fixtures.stk(7).canonicalData(), as: UTF8.self)
        #expect(Fixtures.paymentID(7).rawValue == "pay_01040g2081040g000000000007")
        #expect(stk == "{\"account_reference\":\"INV7\",\"amount\":10000,\"description\":\"Order 7\","
            + "\"payment_id\":\"\(Fixtures.paymentID(7))\",\"phone\":\"254708374149\","
            + "\"transaction_type\":\"paybill\"}")
    }

    /// A creating event with its `Idempotency-Key` (users, API keys): a nested object, sorted like the rest, and
    /// left out without a key.
    @Test func aCreatingEventsIdempotencyKeyIsANestedCanonicalObject() throws {
        let stamp = TenantEvent.IdempotencyStamp(
            key: "k-1", requestHash: "hmac:ab:cd", scope: "POST /v1/api-keys by usr_1")
        let events: [TenantEvent] = [
            .userCreated(.init(userID: Fixtures.userID(1), email: "a@acme.co.ke", role: .manager, passwordHash: "x",
                               idempotency: stamp)),
            .apiKeyCreated(.init(keyID: Fixtures.keyID(1), name: "backend", role: .manager, keyHash: "ff00",
                                 keyHint: "pk_test_…a1b2", environment: "sandbox", idempotency: stamp)),
        ]
        for event in events {
            let data = event.canonicalData()
            #expect(try TenantEvent(type: event.type, data: data[...]) == event)
            let text = String(decoding: data, as: UTF8.self)
            #expect(
                text.contains(
                    #""idempotency":{"key":"k-1","request_hash":"hmac:ab:cd","scope":"POST /v1/api-keys by usr_1"}"#))
        }
        let user = String(decoding: Self.samples[2].canonicalData(), as: UTF8.self)
        #expect(
            user
                == #"{"email":"a@acme.co.ke","password_hash":"$2b$12$abc/def","role":"manager","#
                    + #""user_id":"\#(Fixtures.userID(1))"}"#
        )
    }

    @Test func unknownTypesAndBadDataAreRefused() {
        #expect(throws: PesaCoreError.self) { try TenantEvent(type: "payment.teleported", data: Array("{}".utf8)[...]) }
        #expect(throws: PesaCoreError.self) { try TenantEvent(type: "user.deleted", data: Array("{}".utf8)[...]) }
        #expect(throws: PesaCoreError.self) {
            try TenantEvent(type: "user.deleted", data: Array("{\"user_id\":\"pay_0\"}".utf8)[...])
        }
        #expect(throws: PesaCoreError.self) { try TenantEvent(type: "user.deleted", data: Array("[".utf8)[...]) }
        #expect(throws: PesaCoreError.self) {
            try TenantEvent(type: "payment.stk_requested",
                            data: Array("{\"amount\":1.5,\"payment_id\":\"x\"}".utf8)[...])
        }
    }

    @Test func resultCodesAsStrings() throws {
        let json = "{\"payment_id\":\"\(Fixtures.paymentID(1))\",\"result_code\":\"SFC_IC0003\","
            + "\"result_desc\":\"x\",\"source\":\"query\",\"status\":\"failed\"}"
        let event = try TenantEvent(type: "payment.settled", data: Array(json.utf8)[...])
        guard case .paymentSettled(let data) = event else { Issue.record("wrong case"); return }
        #expect(data.resultCode.rawValue == "SFC_IC0003")
    }
}
