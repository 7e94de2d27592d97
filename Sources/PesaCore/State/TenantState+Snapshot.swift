extension TenantState {
    /// `PTS1`: the first four bytes of every payload.
    static let snapshotMagic: [UInt8] = Array("PTS1".utf8)

    /// The state in the snapshot payload format (data-layout.md). Deterministic: maps are
    /// written in key order, the payment arena without garbage, so equal states give equal bytes.
    public func snapshotPayload() -> [UInt8] { snapshotPayload(formatVersion: TenantState.snapshotFormatVersion) }

    /// The same bytes, calling `pause` between slices of the payment table's rows.
    public func snapshotPayload(pausing pause: () -> Void) -> [UInt8] {
        snapshotPayload(formatVersion: TenantState.snapshotFormatVersion, pausing: pause)
    }

    /// The payload in an older format (tests of the reader): format 1 leaves out what format 2 added, format 2
    /// what format 3 added, format 7 the rate limits format 8 added, format 10 the unmatched callbacks format 11 added.
    func snapshotPayload(formatVersion: Int, pausing pause: () -> Void = {}) -> [UInt8] {
        precondition((1...TenantState.snapshotFormatVersion).contains(formatVersion), "unknown snapshot format")
        var writer = ByteWriter(reservingCapacity: 64 * 1024 + payments.count * 160)
        writer.raw(TenantState.snapshotMagic)
        writer.u64(lastSeq)
        writer.i64(lastAtMs)
        writeOrganization(&writer, formatVersion: formatVersion)
        writer.u64(UInt64(users.count))
        for user in users.values.sorted(by: { $0.id < $1.id }) {
            user.write(to: &writer, formatVersion: formatVersion)
        }
        writer.u64(UInt64(apiKeys.count))
        for key in apiKeys.values.sorted(by: { $0.id < $1.id }) { key.write(to: &writer, formatVersion: formatVersion) }
        if formatVersion >= 7 {
            writer.u64(UInt64(shortCodes.count))
            for id in shortCodes.keys.sorted() { shortCodes[id]?.write(to: &writer) }
            writer.u64(UInt64(shortCodeClaims.count))
            for number in shortCodeClaims.keys.sorted() {
                writer.string(number)
                writer.string(shortCodeClaims[number]?.rawValue ?? "")
            }
            writer.u64(UInt64(plans.count))
            for name in plans.keys.sorted() {
                let versions = plans[name] ?? []
                writer.u64(UInt64(versions.count))
                for version in versions { version.write(to: &writer) }
            }
        } else {
            let legacy = legacyCredentials()
            writer.bool(legacy != nil)
            legacy?.write(to: &writer)
        }
        writer.u64(UInt64(idempotency.count))
        for storageKey in idempotency.keys.sorted() { idempotency[storageKey]?.write(to: &writer) }
        writer.u64(UInt64(balances.count))
        for account in balances.keys.sorted() { balances[account]?.write(to: &writer, formatVersion: formatVersion) }
        if formatVersion >= 9 {
            let book = BatchBook(settings: batchSettings, batches: batches.keys.sorted().compactMap { batches[$0] })
            writer.string(String(decoding: TenantEvent.canonicalJSON(book), as: UTF8.self))
        } else {
            writer.u64(0)  // no release before format 9 wrote a batch
        }
        counters.write(to: &writer)
        if formatVersion >= 11 { unmatchedCallbacks.write(to: &writer) }
        if formatVersion >= 10 {
            writer.string(String(decoding: TenantEvent.canonicalJSON(webhookBook), as: UTF8.self))
        } else {
            writer.u64(UInt64(webhookEndpoints.count))
            for id in webhookEndpoints.keys.sorted() { webhookEndpoints[id]?.write(to: &writer) }
        }
        writer.u64(UInt64(apiCallsByMonth.count))
        for month in apiCallsByMonth.keys.sorted() {
            writer.string(month)
            writer.i64(apiCallsByMonth[month] ?? 0)
        }
        if formatVersion >= 2 {
            writer.u64(UInt64(revokedTokens.count))
            for tokenID in revokedTokens.keys.sorted() {
                writer.string(tokenID)
                writer.i64(revokedTokens[tokenID] ?? 0)
            }
            writer.u64(UInt64(queries.count))
            for id in queries.keys.sorted() { queries[id]?.write(to: &writer, formatVersion: formatVersion) }
            writer.bool(c2bValidation != nil)
            c2bValidation?.write(to: &writer)
        }
        if formatVersion >= 8 { writer.string(String(decoding: TenantEvent.canonicalJSON(billing), as: UTF8.self)) }
        payments.write(to: &writer, formatVersion: formatVersion, pausing: pause)
        writer.raw(TenantState.snapshotMagic)
        return writer.bytes
    }

    /// Reads a payload written by `snapshotPayload()`. Newer format versions are refused.
    public init(snapshotPayload: [UInt8], formatVersion: Int) throws(EventDecodingError) {
        do {
            try self.init(payload: snapshotPayload, formatVersion: formatVersion)
        } catch {
            throw EventDecodingError(eventType: "snapshot", message: error.description)
        }
    }

    init(payload: [UInt8], formatVersion: Int) throws(PesaCoreError) {
        guard formatVersion <= TenantState.snapshotFormatVersion else {
            throw .snapshotVersionUnsupported(formatVersion, known: TenantState.snapshotFormatVersion)
        }
        guard formatVersion >= 1 else {
            throw .snapshotCorrupt("unknown snapshot format version \(formatVersion)")
        }
        self.init()
        var reader = ByteReader(payload)
        guard Array(try reader.raw(4, "magic")) == TenantState.snapshotMagic else {
            throw .snapshotCorrupt("payload does not start with PTS1")
        }
        lastSeq = try reader.u64("last_seq")
        lastAtMs = try reader.i64("last_at_ms")
        organization =
            try reader.bool("organization") ? try OrganizationRecord(from: &reader, formatVersion: formatVersion) : nil
        for _ in 0..<(try reader.count("users", minimumBytesEach: 8)) {
            let user = try UserRecord(from: &reader, formatVersion: formatVersion)
            users[user.id] = user
            userIDsByEmail[user.email.lowercased()] = user.id
        }
        for _ in 0..<(try reader.count("api keys", minimumBytesEach: 8)) {
            let key = try APIKeyRecord(from: &reader, formatVersion: formatVersion)
            apiKeys[key.id] = key
            apiKeyIDsByHash[key.keyHash] = key.id
        }
        var legacyCredentials: CredentialsRecord?
        if formatVersion >= 7 {
            for _ in 0..<(try reader.count("short codes", minimumBytesEach: 8)) {
                let record = try ShortCodeRecord(from: &reader)
                shortCodes[record.id] = record
            }
            for _ in 0..<(try reader.count("short code claims", minimumBytesEach: 16)) {
                let number = try reader.string("claimed short code")
                shortCodeClaims[number] = try reader.id(OrganizationID.self, "claiming organization")
            }
            for _ in 0..<(try reader.count("plans", minimumBytesEach: 8)) {
                var versions: [PlanVersion] = []
                for _ in 0..<(try reader.count("plan versions", minimumBytesEach: 80)) {
                    versions.append(try PlanVersion(from: &reader))
                }
                guard let name = versions.first?.plan.name, plans[name] == nil,
                    versions.allSatisfy({ $0.plan.name == name })
                else { throw .snapshotCorrupt("a plan's versions are empty, repeated or of several plans") }
                plans[name] = versions
            }
        } else {
            legacyCredentials = try reader.bool("credentials") ? try CredentialsRecord(from: &reader) : nil
        }
        for _ in 0..<(try reader.count("idempotency records", minimumBytesEach: 8)) {
            let record = try IdempotencyRecord(from: &reader)
            idempotency[IdempotencyRecord.storageKey(scope: record.scope, key: record.key)] = record
        }
        for _ in 0..<(try reader.count("balances", minimumBytesEach: 8)) {
            let record = try BalanceRecord(from: &reader, formatVersion: formatVersion)
            balances[BalanceRecord.key(shortCodeID: record.shortCodeID, account: record.account)] = record
        }
        if formatVersion >= 9 {
            let book: BatchBook = try TenantEvent.decode(Array(try reader.string("batches").utf8)[...], "batches")
            batchSettings = book.settings
            for record in book.batches { batches[record.id] = record }
        } else {
            guard try reader.u64("batches") == 0 else {
                throw .snapshotCorrupt("a snapshot of format \(formatVersion) holds batches, which format 9 added")
            }
        }
        counters = try TenantCounters(from: &reader)
        unmatchedCallbacks =
            formatVersion >= 11 ? try UnmatchedCallbacks(from: &reader) : .unknown(before: lastAtMs)
        if formatVersion >= 10 {
            let book: WebhookBook = try TenantEvent.decode(Array(try reader.string("webhooks").utf8)[...], "webhooks")
            adopt(book)
        } else {
            for _ in 0..<(try reader.count("webhook endpoints", minimumBytesEach: 8)) {
                let record = try WebhookEndpointRecord(from: &reader)
                webhookEndpoints[record.id] = record
            }
        }
        for _ in 0..<(try reader.count("usage months", minimumBytesEach: 12)) {
            let month = try reader.string("usage month")
            apiCallsByMonth[month] = try reader.i64("api calls")
        }
        if formatVersion >= 2 {  // format 1 had no revoked tokens, queries or C2B validation
            for _ in 0..<(try reader.count("revoked tokens", minimumBytesEach: 12)) {
                let tokenID = try reader.string("revoked token id")
                revokedTokens[tokenID] = try reader.i64("revoked token expiry")
            }
            for _ in 0..<(try reader.count("queries", minimumBytesEach: 8)) {
                let record = try QueryRecord(from: &reader, formatVersion: formatVersion)
                queries[record.id] = record
                queryIDsByConversation[record.conversationID] = record.id
            }
            c2bValidation = try reader.bool("c2b validation") ? try C2BValidationRecord(from: &reader) : nil
        }
        if formatVersion >= 8 {
            billing = try TenantEvent.decode(Array(try reader.string("billing").utf8)[...], "billing")
        } else {
            billing = BillingState(legacy: organization)
        }
        payments = try PaymentTable(from: &reader, formatVersion: formatVersion)
        guard Array(try reader.raw(4, "end magic")) == TenantState.snapshotMagic, reader.remaining == 0 else {
            throw .snapshotCorrupt("payload does not end with PTS1 right after the payment table")
        }
        if formatVersion < 7 { adoptLegacyCredentials(legacyCredentials) }
        countTransactionsByMonth()
        indexBatchRows()
        indexWebhookDeliveries()
    }

    /// The webhooks section of format 10 (data-layout.md): endpoints by id, the events kept oldest first, their
    /// deliveries by id, and webhooks delivered per month.
    struct WebhookBook: Codable {
        var endpoints: [WebhookEndpointRecord]
        var events: [WebhookEventRecord]
        var deliveries: [WebhookDeliveryRecord]
        var deliveredByMonth: [String: Int64]

        enum CodingKeys: String, CodingKey {
            case endpoints, events, deliveries
            case deliveredByMonth = "delivered_by_month"
        }
    }

    var webhookBook: WebhookBook {
        WebhookBook(
            endpoints: webhookEndpoints.keys.sorted().compactMap { webhookEndpoints[$0] },
            events: webhookEventOrder.compactMap { webhookEvents[$0] },
            deliveries: webhookDeliveries.keys.sorted().compactMap { webhookDeliveries[$0] },
            deliveredByMonth: webhooksDeliveredByMonth)
    }

    mutating func adopt(_ book: WebhookBook) {
        for endpoint in book.endpoints { webhookEndpoints[endpoint.id] = endpoint }
        for event in book.events {
            webhookEvents[event.id] = event
            webhookEventOrder.append(event.id)
        }
        for delivery in book.deliveries { webhookDeliveries[delivery.id] = delivery }
        webhooksDeliveredByMonth = book.deliveredByMonth
    }

    /// The batches section of format 9: the organization's batch settings and every batch with its rows, as
    /// canonical JSON (data-layout.md).
    struct BatchBook: Codable {
        var settings: BatchSettings?
        var batches: [BatchRecord]
    }

    /// `transactionsByMonth` from the payment table (derived, never written), one month key per run of rows in
    /// the same month.
    private mutating func countTransactionsByMonth() {
        var month: (startMs: Int64, endMs: Int64, key: String) = (0, 0, "")
        for row in 0..<payments.count {
            let type = payments.type(at: row)
            guard type == .stkPush || type == .b2c else { continue }
            let ms = payments.createdAtMs(at: row)
            if ms < month.startMs || ms >= month.endMs {
                let key = KenyaTime.monthKey(ms: ms)
                let bounds = KenyaTime.month(key) ?? (ms, ms + 1)
                month = (bounds.startMs, bounds.endMs, key)
            }
            transactionsByMonth[month.key, default: 0] += 1
        }
    }

    /// The default profiles as the one credential set of formats 1 to 6 (tests of the reader write those).
    private func legacyCredentials() -> CredentialsRecord? {
        guard let collecting = defaultShortCode(for: .stkPush) else { return nil }
        var hints = collecting.hints
        hints["transaction_type"] = collecting.kind == .till ? "buy_goods" : "paybill"
        if let till = collecting.tillNumber { hints["till_number"] = till }
        if let b2c = defaultShortCode(.b2c) { hints["b2c_short_code"] = b2c.shortCode }
        return CredentialsRecord(
            version: collecting.version, environment: collecting.environment, businessShortCode: collecting.shortCode,
            hints: hints, updatedAtMs: collecting.updatedAtMs)
    }

    /// A snapshot written before profiles: its credential set becomes the profiles a replay of its
    /// `credentials.updated` makes, and what names no profile gets the default one.
    private mutating func adoptLegacyCredentials(_ record: CredentialsRecord?) {
        if let record {
            let event = TenantEvent.CredentialsUpdated(
                version: record.version, environment: record.environment, businessShortCode: record.businessShortCode,
                hints: record.hints)
            reduceShortCode(.credentialsUpdated(event), atMs: record.updatedAtMs)
        }
        let collecting = defaultShortCode(for: .stkPush).map { ($0.id, $0.shortCode) }
        let initiator = defaultShortCode(for: .b2c).map { ($0.id, $0.shortCode) }
        payments.assignShortCodes { $0 == .stkPush || $0 == .c2b ? collecting : initiator }
        let initiatorID = initiator?.0
        for (id, query) in queries where query.shortCodeID == nil {
            let profile = query.paymentID.flatMap { payments[$0]?.shortCodeID } ?? initiatorID
            queries[id]?.shortCodeID = profile
            queries[id]?.shortCode = profile.flatMap { shortCodes[$0]?.shortCode }
        }
        for (key, balance) in balances where balance.shortCodeID == nil && initiatorID != nil {
            var moved = balance
            moved.shortCodeID = initiatorID
            moved.shortCode = initiator?.1
            balances[key] = nil
            balances[BalanceRecord.key(shortCodeID: initiatorID, account: balance.account)] = moved
        }
    }

    private func writeOrganization(_ writer: inout ByteWriter, formatVersion: Int) {
        writer.bool(organization != nil)
        organization?.write(to: &writer, formatVersion: formatVersion)
    }
}
