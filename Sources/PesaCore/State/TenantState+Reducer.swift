extension TenantState {
    /// Changes the state for an event that `validate` accepted.
    mutating func reduce(_ event: TenantEvent, atMs: Int64) {
        switch event {
        case .organizationCreated(let data):
            organization = OrganizationRecord(
                id: data.organizationID, name: data.name, slug: data.slug, plan: data.plan, status: .active,
                subscriptionStatus: data.subscriptionStatus, currentPeriodStartMs: data.currentPeriodStartMs,
                currentPeriodEndMs: data.currentPeriodEndMs, rateLimitOverride: nil,
                callbackToken: data.callbackToken, createdAtMs: atMs, updatedAtMs: atMs)
        case .organizationUpdated(let data):
            updateOrganization(data, atMs: atMs)
        case .userCreated, .userUpdated, .userDeleted, .apiKeyCreated, .apiKeyRevoked, .tokenRevoked:
            reduceAccess(event, atMs: atMs)
        case .credentialsUpdated, .shortCodeSaved, .shortCodeDeleted, .shortCodeVerified:
            reduceShortCode(event, atMs: atMs)
        case .shortCodeClaimed(let data):
            shortCodeClaims[data.shortCode] = data.organizationID
        case .shortCodeReleased(let data):
            shortCodeClaims[data.shortCode] = nil
        case .planSaved(let plan):
            plans[plan.name, default: []].append(PlanVersion(plan: plan, savedAtMs: atMs))
        case .auditRecorded:
            counters.auditEntries += 1
        case .subscriptionUpdated, .invoiceSaved, .billingSettingsSaved, .invoiceNumbered, .invoicePaymentStarted:
            break  // reduceBilling
        case .stkPushRequested, .b2cRequested, .reversalRequested, .c2bReceived:
            createPayment(event, atMs: atMs)
        case .paymentAccepted, .paymentUpstreamFailed, .callbackReceived, .reconciliationAttempted:
            reducePaymentChange(event, atMs: atMs)
        case .paymentSettled(let data):
            settle(data, atMs: atMs)
        case .batchCreated, .batchItemsAdded, .batchChanged, .batchSettingsSaved:
            reduceBatch(event, atMs: atMs)
        case .balanceUpdated(let data):
            let shortCodeID = data.shortCodeID ?? defaultShortCode(for: .b2c)?.id
            for account in data.accounts {
                balances[BalanceRecord.key(shortCodeID: shortCodeID, account: account.account)] = BalanceRecord(
                    account: account.account, currency: account.currency, current: account.current,
                    available: account.available, reserved: account.reserved, uncleared: account.uncleared,
                    asOfMs: data.asOfMs, shortCodeID: shortCodeID,
                    shortCode: shortCodeID.flatMap { shortCodes[$0]?.shortCode })
            }
        case .idempotencyRecorded(let data):
            recordIdempotency(data, atMs: atMs)
        case .webhookEndpointCreated, .webhookSecretRotated, .webhookEndpointDeleted, .webhookEndpointUpdated,
            .webhookEventCreated, .webhookDeliveryAttempted, .webhookDeliveriesQueued:
            reduceWebhook(event, atMs: atMs)
        case .usageRecorded(let data):
            apiCallsByMonth[data.month, default: 0] += data.apiCalls
        case .querySent(let data):
            queries[data.queryID] = QueryRecord(
                id: data.queryID, kind: data.kind, reason: data.reason, conversationID: data.conversationID,
                originatorConversationID: data.originatorConversationID, paymentID: data.paymentID,
                mpesaReceipt: data.mpesaReceipt, shortCodeID: data.shortCodeID ?? queryShortCode(data),
                shortCode: (data.shortCodeID ?? queryShortCode(data)).flatMap { shortCodes[$0]?.shortCode },
                resultCode: nil, resultDesc: nil, parameters: [:], createdAtMs: atMs, updatedAtMs: atMs)
            queryIDsByConversation[data.conversationID] = data.queryID
        case .c2bValidationSet(let data):
            let record = C2BValidationRecord(
                rejectUnknown: data.rejectUnknown,
                accountReferences: Set(data.accountReferences.map(C2BValidationRecord.normalized)), updatedAtMs: atMs)
            if let count = data.referenceCount {
                c2bValidationPending = C2BValidationPending(
                    record: record, received: data.accountReferences.count, referenceCount: count)
            } else {
                c2bValidation = record
            }
        case .c2bValidationReferencesAdded(let data):
            guard var pending = c2bValidationPending else { return }
            pending.record.accountReferences.formUnion(data.accountReferences.map(C2BValidationRecord.normalized))
            pending.received += data.accountReferences.count
            if pending.isComplete {
                c2bValidation = pending.record
                c2bValidationPending = nil
            } else {
                c2bValidationPending = pending
            }
        case .queryCompleted(let data):
            // The first result stays, except a queue timeout, which the real result replaces.
            let current = queries[data.queryID]?.resultCode
            guard current == nil || (current == .queueTimeout && data.resultCode != .queueTimeout) else { return }
            queries[data.queryID]?.resultCode = data.resultCode
            queries[data.queryID]?.resultDesc = data.resultDesc
            queries[data.queryID]?.parameters = data.parameters
            queries[data.queryID]?.updatedAtMs = atMs
        }
    }

    private mutating func updateOrganization(_ data: TenantEvent.OrganizationUpdated, atMs: Int64) {
        guard var record = organization else { preconditionFailure("validated: organization exists") }
        if let name = data.name { record.name = name }
        if let plan = data.plan { record.plan = plan }
        if let status = data.status { record.status = status }
        if let status = data.subscriptionStatus { record.subscriptionStatus = status }
        if let start = data.currentPeriodStartMs { record.currentPeriodStartMs = start }
        if let end = data.currentPeriodEndMs { record.currentPeriodEndMs = end }
        if data.rateLimitOverrideCleared == true {
            record.rateLimitOverride = nil
            record.rateLimitBurstOverride = nil
        }
        if let limit = data.rateLimitOverride {
            record.rateLimitOverride = limit
            record.rateLimitBurstOverride = data.rateLimitBurstOverride
        }
        if let token = data.callbackToken, token != record.callbackToken {
            record.previousCallbackToken = data.previousCallbackTokenValidUntilMs == nil ? nil : record.callbackToken
            record.previousCallbackTokenValidUntilMs = data.previousCallbackTokenValidUntilMs
            record.callbackToken = token
        }
        record.updatedAtMs = atMs
        organization = record
    }

    private mutating func reduceAccess(_ event: TenantEvent, atMs: Int64) {
        switch event {
        case .userCreated(let data):
            users[data.userID] = UserRecord(
                id: data.userID, email: data.email, role: data.role, passwordHash: data.passwordHash, disabled: false,
                createdAtMs: atMs, updatedAtMs: atMs, passwordChangedAtMs: nil)
            userIDsByEmail[data.email.lowercased()] = data.userID
            if let stamp = data.idempotency { recordIdempotency(stamp, resourceID: data.userID.rawValue, atMs: atMs) }
        case .userUpdated(let data):
            guard var user = users[data.userID] else { preconditionFailure("validated: user exists") }
            let before = user
            if let email = data.email {
                userIDsByEmail[user.email.lowercased()] = nil
                user.email = email
                userIDsByEmail[email.lowercased()] = user.id
            }
            if let role = data.role { user.role = role }
            if let hash = data.passwordHash {
                user.passwordHash = hash
                user.passwordChangedAtMs = atMs
            }
            if let disabled = data.disabled { user.disabled = disabled }
            // Only a real change moves `updated_at` (state format 6): sessions issued before it end
            // (`UserRecord.predatesChange`); an update that sets what was already there ends none.
            if user != before { user.updatedAtMs = atMs }
            users[data.userID] = user
        case .userDeleted(let data):
            if let user = users.removeValue(forKey: data.userID) { userIDsByEmail[user.email.lowercased()] = nil }
        case .apiKeyCreated(let data):
            apiKeys[data.keyID] = APIKeyRecord(
                id: data.keyID, name: data.name, role: data.role, keyHash: data.keyHash, keyHint: data.keyHint,
                environment: data.environment, createdAtMs: atMs, revokedAtMs: nil, rateLimit: data.rateLimit)
            apiKeyIDsByHash[data.keyHash] = data.keyID
            if let stamp = data.idempotency { recordIdempotency(stamp, resourceID: data.keyID.rawValue, atMs: atMs) }
        case .apiKeyRevoked(let data):
            if apiKeys[data.keyID]?.revokedAtMs == nil { apiKeys[data.keyID]?.revokedAtMs = atMs }
        case .tokenRevoked(let data):
            // Tokens past their expiry are refused anyway: forget them (by the event's time, deterministic).
            revokedTokens = revokedTokens.filter { $0.value > atMs }
            if data.expiresAtMs > atMs { revokedTokens[data.tokenID] = data.expiresAtMs }
        default:
            preconditionFailure("not an access event")
        }
    }

    /// The key a creating event carries: replayed as 201 with the created object (no stored body).
    private mutating func recordIdempotency(_ stamp: TenantEvent.IdempotencyStamp, resourceID: String, atMs: Int64) {
        recordIdempotency(
            .init(key: stamp.key, requestHash: stamp.requestHash, scope: stamp.scope, resourceID: resourceID,
                  statusCode: 201, responseBody: ""),
            atMs: atMs)
    }

    private mutating func recordIdempotency(_ data: TenantEvent.IdempotencyRecorded, atMs: Int64) {
        idempotency[IdempotencyRecord.storageKey(scope: data.scope, key: data.key)] = IdempotencyRecord(
            key: data.key, requestHash: data.requestHash, scope: data.scope, resourceID: data.resourceID,
            statusCode: data.statusCode, responseBody: data.responseBody, atMs: atMs)
    }
}
