extension TenantState {
    /// Whether `event` may be applied now, without changing anything. The engine calls it before appending
    /// so that a journaled event always applies (a refused one on replay fences the tenant).
    public func validate(_ event: TenantEvent) throws(PesaCoreError) {
        switch event {
        case .organizationCreated:
            guard organization == nil else { throw .inconsistentEvent("the organization already exists") }
        case .organizationUpdated(let data):
            guard organization != nil else { throw .inconsistentEvent("no organization to update") }
            if let limit = data.rateLimitOverride, !(1...Limits.rateLimitPerMinuteMax).contains(limit) {
                throw .invalidField("rate_limit", "rate limit must be 1 to \(Limits.rateLimitPerMinuteMax) per minute")
            }
            if let burst = data.rateLimitBurstOverride {
                guard data.rateLimitOverride != nil else {
                    throw .inconsistentEvent("a rate limit's burst without its rate per minute")
                }
                guard (1...Limits.tokenBucketCapacityMax).contains(burst) else {
                    throw .invalidField("rate_limit.burst", "burst must be 1 to \(Limits.tokenBucketCapacityMax)")
                }
            }
            if data.previousCallbackTokenValidUntilMs != nil, data.callbackToken == nil {
                throw .inconsistentEvent("a previous callback token's grace without a new token")
            }
            if let token = data.callbackToken, token.isEmpty || token == organization?.callbackToken {
                throw .inconsistentEvent("a new callback token must differ from the current one")
            }
        case .userCreated(let data):
            guard users[data.userID] == nil else { throw .inconsistentEvent("user \(data.userID) already exists") }
            try checkEmailFree(data.email, for: data.userID)
        case .userUpdated(let data):
            try requireUser(data.userID)
            if let email = data.email { try checkEmailFree(email, for: data.userID) }
        case .userDeleted(let data):
            try requireUser(data.userID)
        case .apiKeyCreated(let data):
            guard apiKeys[data.keyID] == nil, apiKeyIDsByHash[data.keyHash] == nil else {
                throw .inconsistentEvent("api key \(data.keyID) already exists")
            }
            guard data.role != .superAdmin else { throw .invalidField("role", "an API key cannot be super_admin") }
            if let problem = data.rateLimit?.problem() { throw .invalidField(problem.field, problem.message) }
        case .apiKeyRevoked(let data):
            guard apiKeys[data.keyID] != nil else { throw .inconsistentEvent("no api key \(data.keyID)") }
        case .tokenRevoked(let data):
            guard (1...Limits.tokenIDCharactersMax).contains(data.tokenID.utf8.count) else {
                throw .invalidField("token_id", "a token id has 1 to \(Limits.tokenIDCharactersMax) characters")
            }
        case .credentialsUpdated, .shortCodeSaved, .shortCodeDeleted, .shortCodeVerified:
            try validateShortCode(event)
        case .shortCodeClaimed(let data):
            if let holder = shortCodeClaims[data.shortCode], holder != data.organizationID {
                throw .inconsistentEvent("short code \(data.shortCode) is held by another organization")
            }
        case .planSaved(let plan):
            if let problem = plan.problem { throw .invalidField(problem.field, problem.message) }
            let last = plans[plan.name]?.last?.plan.version ?? 0
            guard plan.version == last + 1 else {
                throw .inconsistentEvent("plan \(plan.name) version \(plan.version) does not follow \(last)")
            }
            guard plans[plan.name] != nil || plans.count < Limits.plansCountMax else {
                throw .invalidField("name", "an instance holds at most \(Limits.plansCountMax) plans")
            }
        case .shortCodeReleased(let data):
            guard shortCodeClaims[data.shortCode] == data.organizationID else {
                throw .inconsistentEvent("short code \(data.shortCode) is not held by \(data.organizationID)")
            }
        case .balanceUpdated(let data):
            try validateShortCodeReference(data.shortCodeID)
        case .auditRecorded, .idempotencyRecorded:
            break
        case .subscriptionUpdated, .invoiceSaved, .billingSettingsSaved, .invoiceNumbered, .invoicePaymentStarted:
            try validateBilling(event)
        case .webhookEndpointCreated, .webhookSecretRotated, .webhookEndpointDeleted, .webhookEndpointUpdated,
            .webhookEventCreated, .webhookDeliveryAttempted, .webhookDeliveriesQueued:
            try validateWebhook(event)
        case .usageRecorded(let data):
            guard data.apiCalls >= 0, data.month.utf8.count == 7 else {
                throw .inconsistentEvent("usage needs a YYYY-MM month and a count of at least 0")
            }
        case .querySent(let data):
            guard queries[data.queryID] == nil else { throw .inconsistentEvent("query \(data.queryID) already exists") }
            try validateShortCodeReference(data.shortCodeID)
            if let payment = data.paymentID { _ = try requirePayment(payment) }
        case .c2bValidationSet, .c2bValidationReferencesAdded:
            try validateC2BValidation(event)
        case .queryCompleted(let data):
            guard queries[data.queryID] != nil else { throw .inconsistentEvent("no query \(data.queryID)") }
        case .stkPushRequested, .b2cRequested, .reversalRequested, .c2bReceived:
            try validateCreation(event)
        case .batchCreated, .batchItemsAdded, .batchChanged, .batchSettingsSaved:
            try validateBatch(event)
        case .paymentAccepted, .paymentUpstreamFailed, .callbackReceived, .paymentSettled,
            .reconciliationAttempted:
            try validatePaymentChange(event)
        }
    }

    /// The checks of a C2B validation list as a whole (the use case runs them before it writes, for a 422).
    public static func validateC2BReferences(_ references: [String]) throws(PesaCoreError) {
        guard references.count <= Limits.c2bAccountReferencesCountMax else {
            throw .invalidField(
                "account_references", "at most \(Limits.c2bAccountReferencesCountMax) account references")
        }
        let characters = 1...Limits.c2bAccountReferenceCharactersMax
        guard references.allSatisfy({ characters.contains(C2BValidationRecord.normalized($0).unicodeScalars.count) })
        else {
            throw .invalidField(
                "account_references",
                "each account reference has 1 to \(Limits.c2bAccountReferenceCharactersMax) characters")
        }
    }

    /// The checks of a `c2b.validation_set` or of a part of its list after it.
    func validateC2BValidation(_ event: TenantEvent) throws(PesaCoreError) {
        switch event {
        case .c2bValidationSet(let data):
            try Self.validateC2BReferences(data.accountReferences)
            if let count = data.referenceCount {
                guard (data.accountReferences.count + 1...Limits.c2bAccountReferencesCountMax).contains(count) else {
                    let first = data.accountReferences.count
                    throw .inconsistentEvent("a C2B validation list of \(count) references cannot begin with \(first)")
                }
            }
        case .c2bValidationReferencesAdded(let data):
            guard let pending = c2bValidationPending, !pending.isComplete else {
                throw .inconsistentEvent("no C2B validation list is being written")
            }
            guard pending.received + data.accountReferences.count <= pending.referenceCount else {
                throw .inconsistentEvent("more account references than the C2B validation list has")
            }
            try Self.validateC2BReferences(data.accountReferences)
        default:
            preconditionFailure("not a C2B validation event")
        }
    }

    private func validateCreation(_ event: TenantEvent) throws(PesaCoreError) {
        switch event {
        case .stkPushRequested(let data):
            try requireNewPayment(data.paymentID)
            try validateShortCodeReference(data.shortCodeID)
        case .c2bReceived(let data):
            try requireNewPayment(data.paymentID)
            try validateShortCodeReference(data.shortCodeID)
        case .b2cRequested(let data):
            try requireNewPayment(data.paymentID)
            try validateShortCodeReference(data.shortCodeID)
            try validateBatchPayout(data)
        case .reversalRequested(let data):
            try requireNewPayment(data.paymentID)
            try validateShortCodeReference(data.shortCodeID)
            if let original = data.originalPaymentID { _ = try requirePayment(original) }
        default:
            preconditionFailure("not a creation event")
        }
    }

    private func validatePaymentChange(_ event: TenantEvent) throws(PesaCoreError) {
        switch event {
        case .paymentAccepted(let data): _ = try requirePayment(data.paymentID)
        case .reconciliationAttempted(let data): _ = try requirePayment(data.paymentID)
        case .paymentUpstreamFailed(let data):
            _ = try requirePayment(data.paymentID)
            guard data.status == .failed || data.status == .pending else {
                throw .inconsistentEvent("an upstream failure leaves a payment failed or pending")
            }
        case .callbackReceived(let data):
            switch (data.disposition, data.paymentID) {
            case (.matched, .some(let id)): _ = try requirePayment(id)
            case (.matched, .none): throw .inconsistentEvent("a matched callback names its payment")
            case (_, .some): throw .inconsistentEvent("only a matched callback names a payment")
            case (_, .none): break
            }
        case .paymentSettled(let data):
            let row = try requirePayment(data.paymentID)
            let current = payments.status(at: row)
            guard current.transition(to: data.status, receipt: data.mpesaReceipt) != .illegal else {
                throw .illegalTransition("payment \(data.paymentID) cannot go from \(current) to \(data.status)")
            }
        default:
            preconditionFailure("not a payment change event")
        }
    }

    private func requireUser(_ id: UserID) throws(PesaCoreError) {
        guard users[id] != nil else { throw .inconsistentEvent("no user \(id)") }
    }

    private func checkEmailFree(_ email: String, for id: UserID) throws(PesaCoreError) {
        if let owner = userIDsByEmail[email.lowercased()], owner != id {
            throw .invalidField("email", "email is already taken")
        }
    }

    private func requireNewPayment(_ id: PaymentID) throws(PesaCoreError) {
        guard payments.row(for: id) == nil else { throw .inconsistentEvent("payment \(id) already exists") }
    }

    private func requirePayment(_ id: PaymentID) throws(PesaCoreError) -> Int {
        guard let row = payments.row(for: id) else { throw .inconsistentEvent("no payment \(id)") }
        return row
    }
}
