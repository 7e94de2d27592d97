extension TenantState {
    // MARK: Reads

    /// Profiles that take requests, oldest first.
    public var activeShortCodes: [ShortCodeRecord] {
        shortCodes.values.filter { !$0.isDeleted }.sorted { ($0.createdAtMs, $0.id) < ($1.createdAtMs, $1.id) }
    }

    /// The active profile a request names: by its `sc_…` id, or by its number (a till also by its till number).
    public func activeShortCode(named name: String) -> ShortCodeRecord? {
        if name.hasPrefix(ShortCodeIDKind.prefix + "_") {
            guard let id = try? ShortCodeID(parsing: name), let record = shortCodes[id], !record.isDeleted else {
                return nil
            }
            return record
        }
        // Active profiles never share a number (`profileClashing`), so at most one answers: no need to sort.
        return shortCodes.values.first { !$0.isDeleted && $0.answers(to: name) }
    }

    /// The active profile other than the one `saved` changes (and those in `ignoring`) that already answers to
    /// one of its numbers (its short code or till number): one number belongs to one profile.
    public func profileClashing(with saved: TenantEvent.ShortCodeSaved, ignoring: Set<ShortCodeID> = [])
        -> ShortCodeRecord?
    {
        let numbers = [saved.shortCode] + (saved.tillNumber.map { [$0] } ?? [])
        return shortCodes.values.first { other in
            !other.isDeleted && other.id != saved.shortCodeID && !ignoring.contains(other.id)
                && numbers.contains(where: other.answers(to:))
        }
    }

    /// The organization's default profile of `kind`, if it has one.
    public func defaultShortCode(_ kind: ShortCodeKind) -> ShortCodeRecord? {
        shortCodes.values.first { $0.kind == kind && $0.isDefault && !$0.isDeleted }
    }

    /// The profile a payment of `type` uses when its request names none: a collection goes to the default
    /// paybill, else the default till; a payout, balance or status query to the default B2C short code, else
    /// the default paybill or till that holds an initiator (a credential set saved before profiles paid out
    /// from its own short code).
    public func defaultShortCode(for type: PaymentType) -> ShortCodeRecord? {
        switch type {
        case .stkPush, .c2b:
            return defaultShortCode(.paybill) ?? defaultShortCode(.till)
        case .b2c, .reversal:
            return defaultShortCode(.b2c)
                ?? [defaultShortCode(.paybill), defaultShortCode(.till)].compactMap { $0 }.first(where: \.hasInitiator)
        }
    }

    /// The short code number a payment went through, if it records one.
    public func shortCodeNumber(of payment: Payment) -> String? {
        payment.shortCodeID.flatMap { shortCodes[$0]?.shortCode }
    }

    /// The profile of a query journaled before profiles existed: its payment's, else the default initiator.
    func queryShortCode(_ data: TenantEvent.QuerySent) -> ShortCodeID? {
        data.paymentID.flatMap { payments[$0]?.shortCodeID } ?? defaultShortCode(for: .b2c)?.id
    }

    // MARK: Reducer

    mutating func reduceShortCode(_ event: TenantEvent, atMs: Int64) {
        switch event {
        case .credentialsUpdated(let data):
            let legacy = data.legacyProfiles()
            // The set replaces the one before whole: a short code it no longer names is no longer held.
            let kept = Set(legacy.profiles.map(\.shortCodeID))
            for other in activeShortCodes where other.id.isLegacy && !kept.contains(other.id) {
                shortCodes[other.id]?.deletedAtMs = atMs
                shortCodes[other.id]?.isDefault = false
                shortCodes[other.id]?.updatedAtMs = atMs
            }
            if legacy.clearsB2CDefault { clearDefault(.b2c, except: nil) }
            // Buy goods after paybill (or back): the set's one collecting short code is the default of both.
            let collectingKind = legacy.profiles[0].kind
            clearDefault(collectingKind == .till ? .paybill : .till, except: nil)
            for profile in legacy.profiles {
                // The same number saved as another kind: the old profile gives way.
                for other in activeShortCodes
                where other.id != profile.shortCodeID && other.answers(to: profile.shortCode) {
                    shortCodes[other.id]?.deletedAtMs = atMs
                    shortCodes[other.id]?.isDefault = false
                    shortCodes[other.id]?.updatedAtMs = atMs
                }
                // A number back to a kind it was before takes that profile back.
                shortCodes[profile.shortCodeID]?.deletedAtMs = nil
                saveShortCode(profile, atMs: atMs)
            }
        case .shortCodeSaved(let data):
            saveShortCode(data, atMs: atMs)
        case .shortCodeDeleted(let data):
            shortCodes[data.shortCodeID]?.deletedAtMs = atMs
            shortCodes[data.shortCodeID]?.isDefault = false
            shortCodes[data.shortCodeID]?.updatedAtMs = atMs
        case .shortCodeVerified(let data):
            shortCodes[data.shortCodeID]?.lastVerification = ShortCodeVerification(
                ok: data.ok, checkedAtMs: atMs, error: data.error)
        default:
            preconditionFailure("not a short code event")
        }
    }

    private mutating func saveShortCode(_ data: TenantEvent.ShortCodeSaved, atMs: Int64) {
        if data.isDefault { clearDefault(data.kind, except: data.shortCodeID) }
        guard var record = shortCodes[data.shortCodeID] else {
            shortCodes[data.shortCodeID] = ShortCodeRecord(
                id: data.shortCodeID, label: data.label, environment: data.environment, shortCode: data.shortCode,
                kind: data.kind, tillNumber: data.tillNumber, isDefault: data.isDefault, version: data.version,
                hints: data.hints, createdAtMs: atMs, updatedAtMs: atMs, deletedAtMs: nil, lastVerification: nil)
            return
        }
        record.label = data.label
        record.tillNumber = data.tillNumber
        record.isDefault = data.isDefault
        if data.version != record.version { record.lastVerification = nil }
        record.version = data.version
        record.hints = data.hints
        record.updatedAtMs = atMs
        shortCodes[data.shortCodeID] = record
    }

    private mutating func clearDefault(_ kind: ShortCodeKind, except id: ShortCodeID?) {
        for (other, record) in shortCodes where record.kind == kind && record.isDefault && other != id {
            shortCodes[other]?.isDefault = false
        }
    }

    // MARK: Validation

    func validateShortCode(_ event: TenantEvent) throws(PesaCoreError) {
        switch event {
        case .credentialsUpdated(let data):
            // Written only before profiles existed, each version newer than the last.
            let last = shortCodes.values.filter(\.id.isLegacy).map(\.version).max() ?? 0
            guard data.version > last else {
                throw .inconsistentEvent("credentials version \(data.version) is not newer than \(last)")
            }
        case .shortCodeSaved(let data):
            if let record = shortCodes[data.shortCodeID] {
                guard !record.isDeleted else { throw .inconsistentEvent("short code \(data.shortCodeID) is deleted") }
                guard record.environment == data.environment, record.shortCode == data.shortCode,
                    record.kind == data.kind
                else { throw .inconsistentEvent("a profile's environment, short code and kind never change") }
                guard data.version >= record.version else {
                    throw .inconsistentEvent("short code version \(data.version) is older than \(record.version)")
                }
            } else {
                guard shortCodes.count < Limits.shortCodesCountMax else {
                    throw .invalidField("short_code", "an organization holds at most \(Limits.shortCodesCountMax) "
                        + "short codes, deleted ones included")
                }
            }
            if let other = profileClashing(with: data) {
                throw .invalidField("short_code", "short code \(data.shortCode) is already a profile of "
                    + "this organization (\(other.id))")
            }
        case .shortCodeDeleted(let data):
            guard let record = shortCodes[data.shortCodeID], !record.isDeleted else {
                throw .inconsistentEvent("no short code \(data.shortCodeID) to delete")
            }
        case .shortCodeVerified(let data):
            guard shortCodes[data.shortCodeID] != nil else {
                throw .inconsistentEvent("no short code \(data.shortCodeID)")
            }
        default:
            preconditionFailure("not a short code event")
        }
    }

    /// A payment event's profile must be one of this organization's.
    func validateShortCodeReference(_ id: ShortCodeID?) throws(PesaCoreError) {
        guard let id else { return }
        guard shortCodes[id] != nil else { throw .inconsistentEvent("no short code \(id)") }
    }
}
