import PesaCore
import Testing

@Suite struct TenantStateTests {
    func started() throws -> TenantState {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated])
        return state
    }

    @Test func stkPushLifecycle() throws {
        var state = try started()
        try state.applyAll([Fixtures.stk(1, key: "idem-1"), Fixtures.accepted(1)])
        let pending = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(pending.status == .pending && pending.type == .stkPush && pending.amount == Amount(shillings: 100))
        #expect(pending.phone == "254708374149" && pending.accountReference == "INV1")
        #expect(state.payments.row(forCheckoutRequestID: "ws_CO_14032025101524181") == 0)
        #expect(state.payments.row(forIdempotencyKey: "idem-1") == 0)
        try state.applyAll([Fixtures.settled(1)])
        let done = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(done.status == .succeeded && done.mpesaReceipt == "RCP1" && done.resultCode == ResultCode(0))
        #expect(done.resultDesc == "The service request is processed successfully.")
        #expect(done.createdAtMs < done.updatedAtMs)
        #expect(state.payments.row(forReceipt: "RCP1") == 0)
    }

    @Test func lateAndDuplicateResultsChangeNothing() throws {
        var state = try started()
        try state.applyAll([Fixtures.stk(1), Fixtures.accepted(1), Fixtures.settled(1, code: "1032")])
        let cancelled = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(cancelled.status == .cancelled)
        // A success without a receipt is late; a failure after a failure too.
        let noReceipt = TenantEvent.paymentSettled(.init(
            paymentID: Fixtures.paymentID(1), resultCode: ResultCode(0), resultDesc: "ok", mpesaReceipt: nil,
            source: .query))
        try state.applyAll([noReceipt, Fixtures.settled(1, code: "1037"), Fixtures.settled(1, code: "1032")])
        var after = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(after.lastEventSeq == 7)  // the timeline shows the late results; nothing else changed
        after.lastEventSeq = cancelled.lastEventSeq
        #expect(after == cancelled)
        #expect(state.counters.lateResults == 2 && state.counters.duplicateResults == 1)
    }

    /// A success that brings a receipt overturns a failure (the money moved); after it, failures are late.
    @Test func aSuccessWithAReceiptOverturnsAFailure() throws {
        var state = try started()
        try state.applyAll([Fixtures.stk(1), Fixtures.accepted(1), Fixtures.settled(1, code: "1037")])
        #expect(state.payment(id: Fixtures.paymentID(1))?.status == .timeout)
        try state.applyAll([Fixtures.settled(1, code: "0"), Fixtures.settled(1, code: "1032")])
        let after = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(after.status == .succeeded)
        #expect(after.mpesaReceipt == "RCP1")
        #expect(state.payments.row(forReceipt: "RCP1") != nil)
        #expect(state.counters.lateResults == 1)
        for failure in [PaymentStatus.failed, .cancelled, .timeout] {
            #expect(failure.transition(to: .succeeded, receipt: "R1") == .changes)
            #expect(failure.transition(to: .succeeded, receipt: nil) == .late)
            #expect(failure.transition(to: .succeeded, receipt: "") == .late)
        }
        #expect(PaymentStatus.reversed.transition(to: .succeeded, receipt: "R1") == .late)
        #expect(PaymentStatus.succeeded.transition(to: .failed, receipt: nil) == .late)
    }

    @Test func callbacksAreCountedAndOrphansKept() throws {
        var state = try started()
        try state.applyAll([
            Fixtures.stk(1),
            .callbackReceived(.init(kind: .stk, body: "{}", disposition: .matched, paymentID: Fixtures.paymentID(1))),
            .callbackReceived(.init(kind: .stk, body: "{}", disposition: .orphan)),
            .callbackReceived(.init(kind: .b2cResult, body: "not json", disposition: .malformed)),
        ])
        #expect(state.payment(id: Fixtures.paymentID(1))?.callbackCount == 1)
        #expect(state.counters.callbacks == 3 && state.counters.orphanCallbacks == 1)
        #expect(state.counters.malformedCallbacks == 1)
        #expect(throws: PesaCoreError.self) {
            try state.applyAll([.callbackReceived(.init(kind: .stk, body: "{}", disposition: .matched))])
        }
    }

    @Test func reversalTurnsTheOriginalReversed() throws {
        var state = try started()
        try state.applyAll([
            Fixtures.stk(1), Fixtures.settled(1),
            .reversalRequested(.init(paymentID: Fixtures.paymentID(2), originalPaymentID: Fixtures.paymentID(1),
                                     mpesaReceipt: "RCP1", amount: Amount(shillings: 100), remarks: "refund")),
            .paymentAccepted(.init(paymentID: Fixtures.paymentID(2), conversationID: "AG_1",
                                   originatorConversationID: "OC_1")),
        ])
        #expect(state.payments.row(forConversationID: "AG_1") == 1)
        #expect(state.payments.row(forConversationID: "OC_1") == 1)
        #expect(state.payment(id: Fixtures.paymentID(2))?.reversedReceipt == "RCP1")
        try state.applyAll([Fixtures.settled(2)])
        #expect(state.payment(id: Fixtures.paymentID(1))?.status == .reversed)
        #expect(state.payment(id: Fixtures.paymentID(2))?.status == .succeeded)
    }

    @Test func refusedEventsChangeNothing() throws {
        var state = try started()
        try state.applyAll([Fixtures.stk(1)])
        let before = state
        #expect(throws: PesaCoreError.self) { try state.applyAll([Fixtures.stk(1)]) }
        #expect(throws: PesaCoreError.self) { try state.applyAll([Fixtures.accepted(9)]) }
        #expect(throws: PesaCoreError.self) { try state.applyAll([Fixtures.organizationCreated]) }
        #expect(throws: PesaCoreError.self) {
            try state.applyAll([.paymentSettled(.init(paymentID: Fixtures.paymentID(1), status: .reversed,
                                                      resultCode: ResultCode(0), resultDesc: "", source: .operator))])
        }
        #expect(throws: PesaCoreError.self) { try state.apply(Fixtures.stk(5), seq: 1, atMs: 0) }
        #expect(state == before)
    }

    @Test func usersKeysAndCredentials() throws {
        var state = try started()
        try state.applyAll([
            .userCreated(.init(userID: Fixtures.userID(1), email: "Ann@Acme.co.ke", role: .orgAdmin,
                               passwordHash: "h1")),
            .apiKeyCreated(.init(keyID: Fixtures.keyID(1), name: "backend", role: .user, keyHash: "kh",
                                 keyHint: "pk_test_…", environment: "sandbox")),
            .credentialsUpdated(.init(version: 1, environment: "sandbox", businessShortCode: "174379", hints: [:])),
        ])
        #expect(state.user(email: "ann@acme.co.ke")?.role == .orgAdmin)
        #expect(throws: PesaCoreError.self) {
            try state.applyAll([.userCreated(.init(userID: Fixtures.userID(2), email: "ANN@acme.co.ke", role: .user,
                                                   passwordHash: "h"))])
        }
        try state.applyAll([.userUpdated(.init(userID: Fixtures.userID(1), email: "ann2@acme.co.ke", role: .manager))])
        #expect(state.user(email: "ann@acme.co.ke") == nil)
        #expect(state.user(email: "ann2@acme.co.ke")?.role == .manager)
        try state.applyAll([.apiKeyRevoked(.init(keyID: Fixtures.keyID(1))),
                            .userDeleted(.init(userID: Fixtures.userID(1)))])
        #expect(state.apiKey(hash: "kh")?.isRevoked == true)
        #expect(state.users.isEmpty)
        #expect(throws: PesaCoreError.self) {
            try state.applyAll([.credentialsUpdated(.init(version: 1, environment: "sandbox", businessShortCode: "1",
                                                          hints: [:]))])
        }
    }

    @Test func organizationUpdatesAndRateLimit() throws {
        var state = try started()
        #expect(state.rateLimitPerMinute == 300)
        try state.applyAll([.organizationUpdated(.init(rateLimitOverride: 10))])
        #expect(state.rateLimitPerMinute == 10)
        try state.applyAll([
            .organizationUpdated(.init(subscriptionStatus: .suspended, rateLimitOverrideCleared: true)),
        ])
        #expect(state.rateLimitPerMinute == 300)
        #expect(state.organization?.subscriptionStatus.allowsPaymentInitiation == false)
    }

    @Test func idempotencyRecordsExpireDeterministically() throws {
        var state = try started()
        let record = { (key: String) in
            TenantEvent.idempotencyRecorded(.init(key: key, requestHash: "h", scope: "POST /v1/api-keys",
                                                  resourceID: nil, statusCode: 201, responseBody: "{}"))
        }
        try state.apply(record("a"), seq: 10, atMs: 0)
        try state.apply(record("b"), seq: 11, atMs: Limits.idempotencyWindowMs)
        #expect(state.idempotencyRecord(scope: "POST /v1/api-keys", key: "a") == nil)
        #expect(state.idempotencyRecord(scope: "POST /v1/api-keys", key: "b")?.isLive(nowMs: 1) == true)
    }

    /// Answers past the window are no longer replayed at once, and leave the state at the first event of the
    /// next hour: one pass an hour, not a rebuilt dictionary per answer.
    @Test func expiredAnswersLeaveAtTheFirstEventOfTheNextHour() throws {
        var state = try started()
        let hour = Limits.idempotencyPruneEveryMs
        let scope = "POST /v1/balance-checks"
        let record = { (key: String) in
            TenantEvent.idempotencyRecorded(.init(key: key, requestHash: "h", scope: scope,
                                                  resourceID: nil, statusCode: 202, responseBody: "{}"))
        }
        let firstAtMs = 5 * hour + 100
        try state.apply(record("x"), seq: 10, atMs: firstAtMs)
        // In a later hour, still within the window: kept and replayed.
        try state.apply(record("y"), seq: 11, atMs: firstAtMs + Limits.idempotencyWindowMs - 50)
        #expect(state.idempotency(scope: scope, key: "x", requestHash: "h", nowMs: state.lastAtMs).isReplay)
        // Past the window in the same hour: not replayed, not yet dropped.
        try state.apply(record("z"), seq: 12, atMs: firstAtMs + Limits.idempotencyWindowMs + 100)
        #expect(state.idempotency(scope: scope, key: "x", requestHash: "h", nowMs: state.lastAtMs) == .new)
        #expect(state.idempotencyRecord(scope: scope, key: "x") != nil)
        // The first event of the next hour, of any kind, drops it.
        let nextHour = (state.lastAtMs / hour + 1) * hour
        let audit = TenantEvent.auditRecorded(.init(actor: "system", action: "test", target: "x", requestID: "r"))
        try state.apply(audit, seq: 13, atMs: nextHour)
        #expect(state.idempotencyRecord(scope: scope, key: "x") == nil)
        #expect(state.idempotency.count == 2)
    }

    @Test func aCreatingEventCarriesItsIdempotencyKey() throws {
        var state = try started()
        let scope = "POST /v1/orgs/{id}/users by usr_admin"
        let user = UserID(randomBytes: Array(repeating: 7, count: 16))
        try state.apply(
            .userCreated(.init(
                userID: user, email: "clerk@acme.test", role: .user, passwordHash: "bcrypt",
                idempotency: .init(key: "k", requestHash: "h", scope: scope))),
            seq: 10, atMs: 1_000)
        let record = try #require(state.idempotencyRecord(scope: scope, key: "k"))
        #expect(record.resourceID == user.rawValue && record.statusCode == 201 && record.responseBody.isEmpty)
        #expect(state.idempotency(scope: scope, key: "k", requestHash: "h", nowMs: 1_001).isReplay)
        #expect(state.idempotency(scope: scope, key: "k", requestHash: "x", nowMs: 1_001) == .conflict)
        // Without a key, nothing is recorded.
        try state.apply(
            .userCreated(.init(
                userID: UserID(randomBytes: Array(repeating: 8, count: 16)), email: "two@acme.test", role: .user,
                passwordHash: "bcrypt")),
            seq: 11, atMs: 1_002)
        #expect(state.idempotency.count == 1)
    }

    @Test func journalEntryPointDecodesJSON() throws {
        var state = TenantState()
        let event = Fixtures.organizationCreated
        try state.apply(eventType: event.type, data: event.canonicalData()[...], seq: 1, atMs: 5)
        #expect(state.organization?.slug.rawValue == "acme-shop")
        #expect(throws: EventDecodingError.self) {
            try state.apply(eventType: "nope", data: Array("{}".utf8)[...], seq: 2, atMs: 6)
        }
    }
}

@Suite struct IdempotencyTests {
    @Test func paymentKeysReplayConflictAndExpire() throws {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated, Fixtures.stk(1, key: "k1")])
        let created = try #require(state.payment(id: Fixtures.paymentID(1))).createdAtMs
        let hash = String(repeating: "ab", count: 32)
        #expect(state.paymentIdempotency(key: "k1", requestHash: hash, nowMs: created + 1)
            == .replay(try #require(state.payment(id: Fixtures.paymentID(1)))))
        #expect(state.paymentIdempotency(key: "k1", requestHash: "other", nowMs: created + 1) == .conflict)
        #expect(state.paymentIdempotency(key: "k2", requestHash: hash, nowMs: created) == .new)
        let expired = created + Limits.idempotencyWindowMs
        #expect(state.paymentIdempotency(key: "k1", requestHash: hash, nowMs: expired) == .new)
        try state.applyAll([Fixtures.stk(2, key: "k1")])
        let newer = try #require(state.payment(id: Fixtures.paymentID(2)))
        #expect(state.paymentIdempotency(key: "k1", requestHash: hash, nowMs: newer.createdAtMs) == .replay(newer))
    }

    @Test func otherRoutesByScope() throws {
        var state = TenantState()
        try state.applyAll([.idempotencyRecorded(.init(key: "k", requestHash: "h", scope: "POST /v1/api-keys",
                                                       resourceID: "key_x", statusCode: 201, responseBody: "{}"))])
        let at = state.lastAtMs
        #expect(state.idempotency(scope: "POST /v1/api-keys", key: "k", requestHash: "h", nowMs: at).isReplay)
        #expect(state.idempotency(scope: "POST /v1/api-keys", key: "k", requestHash: "x", nowMs: at) == .conflict)
        #expect(state.idempotency(scope: "POST /v1/orgs", key: "k", requestHash: "h", nowMs: at) == .new)
    }
}

extension IdempotencyMatch {
    var isReplay: Bool {
        if case .replay = self { return true }
        return false
    }
}

@Suite struct JournalEntryPointTests {
    /// Applying the canonical JSON of each event gives the same state as applying the typed events.
    @Test func jsonAndTypedApplyAgree() throws {
        var events: [TenantEvent] = [Fixtures.organizationCreated]
        for seed in UInt64(1)...40 {
            events += [Fixtures.stk(seed, key: seed % 3 == 0 ? "key-\(seed)" : nil), Fixtures.accepted(seed)]
            if seed % 2 == 0 { events.append(Fixtures.settled(seed, code: seed % 4 == 0 ? "0" : "1037")) }
        }
        var typed = TenantState()
        var journaled = TenantState()
        for (offset, event) in events.enumerated() {
            let seq = UInt64(offset + 1)
            try typed.apply(event, seq: seq, atMs: Int64(seq) * 10)
            let data = event.canonicalData()[...]
            try journaled.apply(eventType: event.type, data: data, seq: seq, atMs: Int64(seq) * 10)
        }
        #expect(typed == journaled)
        #expect(typed.snapshotPayload() == journaled.snapshotPayload())
    }
}

@Suite struct PaymentTimelineTests {
    @Test func rangeCoversEveryEventAboutThePayment() throws {
        var state = TenantState()
        try state.applyAll([Fixtures.organizationCreated, Fixtures.stk(1), Fixtures.accepted(1), Fixtures.stk(2)])
        try state.applyAll([Fixtures.settled(1)])
        var payment = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(payment.firstEventSeq == 2 && payment.lastEventSeq == 5)
        try state.applyAll([.auditRecorded(.init(actor: "system", action: "x", target: "", requestID: "req_1")),
                            Fixtures.settled(1, code: "1032")])
        payment = try #require(state.payment(id: Fixtures.paymentID(1)))
        #expect(payment.status == .succeeded && payment.lastEventSeq == 7)
        #expect(state.payment(id: Fixtures.paymentID(2))?.lastEventSeq == 4)
    }

    @Test func reversalReachesTheOriginal() throws {
        var state = TenantState()
        try state.applyAll([
            Fixtures.organizationCreated, Fixtures.stk(1), Fixtures.settled(1),
            .reversalRequested(.init(paymentID: Fixtures.paymentID(2), originalPaymentID: Fixtures.paymentID(1),
                                     mpesaReceipt: "RCP1", amount: Amount(shillings: 100), remarks: "refund")),
            Fixtures.settled(2),
        ])
        #expect(state.payment(id: Fixtures.paymentID(1))?.lastEventSeq == 5)
        #expect(state.payment(id: Fixtures.paymentID(2))?.firstEventSeq == 4)
    }
}
