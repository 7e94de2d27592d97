// The snapshot codec of each record (field order is the format; data-layout.md).

extension OrganizationRecord {
    func write(to writer: inout ByteWriter, formatVersion: Int) {
        writer.string(id.rawValue)
        writer.string(name)
        writer.string(slug.rawValue)
        writer.string(plan)
        writer.string(status.rawValue)
        writer.string(subscriptionStatus.rawValue)
        writer.i64(currentPeriodStartMs)
        writer.i64(currentPeriodEndMs)
        writer.optionalI64(rateLimitOverride)
        writer.string(callbackToken)
        if formatVersion >= 3 {
            writer.optionalString(previousCallbackToken)
            writer.optionalI64(previousCallbackTokenValidUntilMs)
        }
        writer.i64(createdAtMs)
        writer.i64(updatedAtMs)
        if formatVersion >= 8 { writer.optionalI64(rateLimitBurstOverride) }
    }

    init(from reader: inout ByteReader, formatVersion: Int) throws(PesaCoreError) {
        id = try reader.id(OrganizationID.self, "organization id")
        name = try reader.string("organization name")
        let slugText = try reader.string("organization slug")
        guard let slug = try? OrgSlug(slugText) else { throw .snapshotCorrupt("bad organization slug") }
        self.slug = slug
        plan = try reader.string("plan")
        status = try reader.value(OrganizationStatus.self, "organization status")
        subscriptionStatus = try reader.value(SubscriptionStatus.self, "subscription status")
        currentPeriodStartMs = try reader.i64("current_period_start_ms")
        currentPeriodEndMs = try reader.i64("current_period_end_ms")
        rateLimitOverride = try reader.optionalI64("rate_limit_override")
        callbackToken = try reader.string("callback token")
        if formatVersion >= 3 {
            previousCallbackToken = try reader.optionalString("previous callback token")
            previousCallbackTokenValidUntilMs = try reader.optionalI64("previous_callback_token_valid_until_ms")
        }
        createdAtMs = try reader.i64("created_at_ms")
        updatedAtMs = try reader.i64("updated_at_ms")
        if formatVersion >= 8 { rateLimitBurstOverride = try reader.optionalI64("rate_limit_burst_override") }
    }
}

extension UserRecord {
    func write(to writer: inout ByteWriter, formatVersion: Int) {
        writer.string(id.rawValue)
        writer.string(email)
        writer.string(role.rawValue)
        writer.string(passwordHash)
        writer.bool(disabled)
        writer.i64(createdAtMs)
        writer.i64(updatedAtMs)
        if formatVersion >= 2 { writer.optionalI64(passwordChangedAtMs) }
    }

    /// `formatVersion` 1 has no `password_changed_at_ms`.
    init(from reader: inout ByteReader, formatVersion: Int) throws(PesaCoreError) {
        id = try reader.id(UserID.self, "user id")
        email = try reader.string("email")
        role = try reader.value(Role.self, "role")
        passwordHash = try reader.string("password hash")
        disabled = try reader.bool("disabled")
        createdAtMs = try reader.i64("created_at_ms")
        updatedAtMs = try reader.i64("updated_at_ms")
        passwordChangedAtMs = formatVersion >= 2 ? try reader.optionalI64("password_changed_at_ms") : nil
    }
}

extension APIKeyRecord {
    func write(to writer: inout ByteWriter, formatVersion: Int) {
        writer.string(id.rawValue)
        writer.string(name)
        writer.string(role.rawValue)
        writer.string(keyHash)
        writer.string(keyHint)
        writer.string(environment)
        writer.i64(createdAtMs)
        writer.optionalI64(revokedAtMs)
        if formatVersion >= 8 {
            writer.bool(rateLimit != nil)
            if let rateLimit {
                writer.i64(rateLimit.perMinute)
                writer.optionalI64(rateLimit.burst)
            }
        }
    }

    /// Formats before 8 have no rate limit.
    init(from reader: inout ByteReader, formatVersion: Int) throws(PesaCoreError) {
        id = try reader.id(APIKeyID.self, "api key id")
        name = try reader.string("api key name")
        role = try reader.value(Role.self, "api key role")
        keyHash = try reader.string("key hash")
        keyHint = try reader.string("key hint")
        environment = try reader.string("environment")
        createdAtMs = try reader.i64("created_at_ms")
        revokedAtMs = try reader.optionalI64("revoked_at_ms")
        if formatVersion >= 8, try reader.bool("api key rate limit") {
            rateLimit = RateLimit(
                perMinute: try reader.i64("api key rate_limit.per_minute"),
                burst: try reader.optionalI64("api key rate_limit.burst"))
        }
    }
}

extension CredentialsRecord {
    func write(to writer: inout ByteWriter) {
        writer.i64(version)
        writer.string(environment)
        writer.string(businessShortCode)
        writer.u64(UInt64(hints.count))
        for field in hints.keys.sorted() {
            writer.string(field)
            writer.string(hints[field] ?? "")
        }
        writer.i64(updatedAtMs)
    }

    init(from reader: inout ByteReader) throws(PesaCoreError) {
        version = try reader.i64("credentials version")
        environment = try reader.string("environment")
        businessShortCode = try reader.string("business short code")
        hints = [:]
        for _ in 0..<(try reader.count("hints", minimumBytesEach: 8)) {
            let field = try reader.string("hint field")
            hints[field] = try reader.string("hint")
        }
        updatedAtMs = try reader.i64("updated_at_ms")
    }
}

extension IdempotencyRecord {
    func write(to writer: inout ByteWriter) {
        writer.string(key)
        writer.string(requestHash)
        writer.string(scope)
        writer.optionalString(resourceID)
        writer.i64(statusCode)
        writer.string(responseBody)
        writer.i64(atMs)
    }

    init(from reader: inout ByteReader) throws(PesaCoreError) {
        key = try reader.string("idempotency key")
        requestHash = try reader.string("request hash")
        scope = try reader.string("scope")
        resourceID = try reader.optionalString("resource id")
        statusCode = try reader.i64("status code")
        responseBody = try reader.string("response body")
        atMs = try reader.i64("at_ms")
    }
}

extension BalanceRecord {
    func write(to writer: inout ByteWriter, formatVersion: Int) {
        writer.string(account)
        writer.string(currency)
        for amount in [current, available, reserved, uncleared] { writer.i64(amount.minorUnits) }
        writer.i64(asOfMs)
        if formatVersion >= 7 {
            writer.optionalString(shortCodeID?.rawValue)
            writer.optionalString(shortCode)
        }
    }

    init(from reader: inout ByteReader, formatVersion: Int) throws(PesaCoreError) {
        account = try reader.string("account")
        currency = try reader.string("currency")
        current = try reader.amount("current")
        available = try reader.amount("available")
        reserved = try reader.amount("reserved")
        uncleared = try reader.amount("uncleared")
        asOfMs = try reader.i64("as_of_ms")
        if formatVersion >= 7 {
            shortCodeID = try reader.optionalID(ShortCodeID.self, "balance short_code_id")
            shortCode = try reader.optionalString("balance short_code")
        }
    }
}

extension TenantCounters {
    func write(to writer: inout ByteWriter) {
        for value in [auditEntries, callbacks, orphanCallbacks, malformedCallbacks, lateResults, duplicateResults] {
            writer.i64(value)
        }
    }

    init(from reader: inout ByteReader) throws(PesaCoreError) {
        auditEntries = try reader.i64("audit entries")
        callbacks = try reader.i64("callbacks")
        orphanCallbacks = try reader.i64("orphan callbacks")
        malformedCallbacks = try reader.i64("malformed callbacks")
        lateResults = try reader.i64("late results")
        duplicateResults = try reader.i64("duplicate results")
    }
}

extension UnmatchedCallbacks {
    func write(to writer: inout ByteWriter) {
        writer.i64(countedFromMs)
        writer.optionalI64(latestAtMs)
        writer.u64(UInt64(byDay.count))
        for day in byDay.keys.sorted() {
            writer.i64(day)
            writer.i64(byDay[day] ?? 0)
        }
    }

    /// Refuses days that a replay could not have kept: none without a latest, or out of its 7 days.
    init(from reader: inout ByteReader) throws(PesaCoreError) {
        countedFromMs = try reader.i64("unmatched callbacks counted_from_ms")
        latestAtMs = try reader.optionalI64("latest unmatched callback")
        let lastDay = latestAtMs.map { KenyaTime.dayIndex(ms: $0) }
        for _ in 0..<(try reader.count("unmatched callback days", minimumBytesEach: 16)) {
            let day = try reader.i64("unmatched callback day")
            let count = try reader.i64("unmatched callbacks that day")
            guard let lastDay, day <= lastDay, day > lastDay - Self.days, count > 0, byDay[day] == nil else {
                throw .snapshotCorrupt("an unmatched callback day is repeated, empty or outside the latest's 7 days")
            }
            byDay[day] = count
        }
    }
}

extension WebhookEndpointRecord {
    func write(to writer: inout ByteWriter) {
        writer.string(id.rawValue)
        writer.string(url)
        writer.u64(UInt64(events.count))
        for event in events { writer.string(event) }
        writer.string(secretHint)
        writer.optionalI64(previousSecretValidUntilMs)
        writer.i64(createdAtMs)
        writer.i64(updatedAtMs)
    }

    init(from reader: inout ByteReader) throws(PesaCoreError) {
        id = try reader.id(WebhookEndpointID.self, "webhook endpoint id")
        url = try reader.string("webhook url")
        events = []
        for _ in 0..<(try reader.count("webhook events", minimumBytesEach: 4)) {
            events.append(try reader.string("webhook event"))
        }
        secretHint = try reader.string("secret hint")
        previousSecretValidUntilMs = try reader.optionalI64("previous_valid_until_ms")
        createdAtMs = try reader.i64("created_at_ms")
        updatedAtMs = try reader.i64("updated_at_ms")
        description = nil
        enabled = true
        disabledReason = nil
        failingSinceMs = nil
    }
}

extension ShortCodeRecord {
    func write(to writer: inout ByteWriter) {
        writer.string(id.rawValue)
        writer.string(label)
        writer.string(environment)
        writer.string(shortCode)
        writer.string(kind.rawValue)
        writer.optionalString(tillNumber)
        writer.bool(isDefault)
        writer.i64(version)
        writer.u64(UInt64(hints.count))
        for field in hints.keys.sorted() {
            writer.string(field)
            writer.string(hints[field] ?? "")
        }
        writer.i64(createdAtMs)
        writer.i64(updatedAtMs)
        writer.optionalI64(deletedAtMs)
        writer.bool(lastVerification != nil)
        if let lastVerification {
            writer.bool(lastVerification.ok)
            writer.i64(lastVerification.checkedAtMs)
            writer.optionalString(lastVerification.error)
        }
    }

    init(from reader: inout ByteReader) throws(PesaCoreError) {
        id = try reader.id(ShortCodeID.self, "short code id")
        label = try reader.string("short code label")
        environment = try reader.string("short code environment")
        shortCode = try reader.string("short code")
        kind = try reader.value(ShortCodeKind.self, "short code kind")
        tillNumber = try reader.optionalString("till number")
        isDefault = try reader.bool("short code default")
        version = try reader.i64("short code version")
        hints = [:]
        for _ in 0..<(try reader.count("short code hints", minimumBytesEach: 8)) {
            let field = try reader.string("hint field")
            hints[field] = try reader.string("hint")
        }
        createdAtMs = try reader.i64("created_at_ms")
        updatedAtMs = try reader.i64("updated_at_ms")
        deletedAtMs = try reader.optionalI64("deleted_at_ms")
        lastVerification =
            try reader.bool("last verification")
            ? ShortCodeVerification(
                ok: try reader.bool("verification ok"), checkedAtMs: try reader.i64("checked_at_ms"),
                error: try reader.optionalString("verification error")) : nil
    }
}

extension PlanVersion {
    func write(to writer: inout ByteWriter) {
        writer.string(plan.name)
        for amount in [plan.monthlyFee, plan.overageFeePerCall, plan.pricePerTransaction] {
            writer.i64(amount.minorUnits)
        }
        writer.i64(plan.includedCalls)
        writer.i64(plan.includedTransactions)
        writer.bool(plan.hardCap)
        writer.i64(plan.rateLimitPerMinute)
        writer.optionalI64(plan.burst)
        writer.i64(plan.trialDays)
        writer.i64(plan.version)
        writer.i64(savedAtMs)
    }

    init(from reader: inout ByteReader) throws(PesaCoreError) {
        let name = try reader.string("plan name")
        let fee = try reader.amount("monthly fee")
        let perCall = try reader.amount("price per api call")
        let perTransaction = try reader.amount("price per transaction")
        let calls = try reader.i64("included api calls")
        let transactions = try reader.i64("included transactions")
        let hardCap = try reader.bool("hard cap")
        let rate = try reader.i64("rate limit")
        let burst = try reader.optionalI64("burst")
        let trialDays = try reader.i64("trial days")
        let version = try reader.i64("plan version")
        plan = Plan(
            name: name, monthlyFee: fee, includedCalls: calls, overageFeePerCall: perCall, rateLimitPerMinute: rate,
            includedTransactions: transactions, pricePerTransaction: perTransaction, hardCap: hardCap, burst: burst,
            trialDays: trialDays, version: version)
        savedAtMs = try reader.i64("plan saved at")
        if let problem = plan.problem { throw .snapshotCorrupt("plan \(name): \(problem.message)") }
    }
}
