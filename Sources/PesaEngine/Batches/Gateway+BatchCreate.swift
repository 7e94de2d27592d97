public import PesaCore

/// One row of `POST /v1/payout-batches` as uploaded, before validation.
public struct BatchRowParameters: Sendable {
    public var phone: String
    /// Whole shillings; nil when the row's amount is missing or not a whole number.
    public var amount: Int64?
    public var reference: String
    public var name: String?

    public init(phone: String, amount: Int64?, reference: String, name: String?) {
        self.phone = phone
        self.amount = amount
        self.reference = reference
        self.name = name
    }
}

/// `POST /v1/payout-batches`, before validation.
public struct BatchParameters: Sendable {
    public var command: String
    public var shortCode: String?
    public var items: [BatchRowParameters]
    public var allowDuplicates: Bool
    /// Hex SHA-256 of the uploaded body: the same upload again is answered with the first batch.
    public var contentHash: String

    public init(
        command: String, shortCode: String?, items: [BatchRowParameters], allowDuplicates: Bool, contentHash: String
    ) {
        self.command = command
        self.shortCode = shortCode
        self.items = items
        self.allowDuplicates = allowDuplicates
        self.contentHash = contentHash
    }
}

/// A batch as a creating request answers it.
public struct BatchAnswer: Sendable {
    public let batch: BatchRecord
    /// The same upload (or `Idempotency-Key`) was seen before: this is the first batch.
    public let isReplay: Bool
}

extension Gateway {
    /// Validates the whole batch (every bad row named at once, nothing created otherwise), checks what a single
    /// payout checks before anything is journaled (subscription, short code, initiator, key environment), the
    /// paying short code's last known balance and whether approval is needed, then journals the batch and its
    /// rows in one commit. The batch sender (`BatchSender`) sends the rows.
    public func createPayoutBatch(
        _ input: BatchParameters, in organization: OrganizationID, idempotency: IdempotencyInput?, by actor: Actor
    ) async throws(EngineError) -> BatchAnswer {
        try actor.authorize(.createPayoutBatch, in: organization)
        let engine = try await self.engine(organization)
        let nowMs = clock.nowMs()
        if let prior = try await engine.read({ (state) throws(EngineError) in
            try Self.priorBatch(state, contentHash: input.contentHash, idempotency: idempotency, nowMs: nowMs)
        }) {
            return BatchAnswer(batch: prior, isReplay: true)
        }
        guard let command = B2CCommand(rawValue: input.command) else {
            throw EngineError.invalid("command", "command must be one of \(B2CCommand.allCases.map(\.rawValue))")
        }
        let rows = try Self.validatedRows(input.items, allowDuplicates: input.allowDuplicates)
        try await requirePaymentsAllowed(in: organization)
        let initiator = try await initiatorCall(for: organization, named: input.shortCode, use: .payout, by: actor)
        let total = Amount(minorUnits: rows.reduce(0) { $0 + $1.amount.minorUnits })
        let profileID = initiator.credentials.id
        let shortCode = initiator.credentials.shortCode
        let principal = actor.principal
        return try await engine.execute { (state, context) throws(EngineError) -> Decision<BatchOutcome> in
            try Self.requireActiveSubscription(state)
            if let prior = try Self.priorBatch(
                state, contentHash: input.contentHash, idempotency: idempotency, nowMs: context.nowMs)
            {
                return Decision(value: .replay(prior))
            }
            let settings = state.batchSettings ?? BatchSettings()
            let warnings = try Self.balanceWarnings(
                state, profile: profileID, shortCode: shortCode, total: total, settings: settings)
            guard let id = state.nextBatchID() else { throw EngineError.notFound("organization") }
            let approval = settings.requiresApproval(total: total)
            var events: [TenantEvent] = [
                .batchCreated(
                    .init(
                        batchID: id, command: command, itemCount: Int64(rows.count), total: total,
                        shortCodeID: profileID,
                        contentHash: input.contentHash, idempotencyKey: idempotency?.key,
                        requestHash: idempotency?.requestHash, createdBy: actor.id, createdByRole: principal.role,
                        keyEnvironment: actor.keyEnvironment, approvalRequired: approval,
                        approvalExpiresAtMs: approval ? context.nowMs + Limits.batchApprovalWindowMs : nil,
                        allowDuplicates: input.allowDuplicates, warnings: warnings))
            ]
            for first in stride(from: 0, to: rows.count, by: Limits.batchItemsPerEventMax) {
                let chunk = Array(rows[first..<min(rows.count, first + Limits.batchItemsPerEventMax)])
                events.append(.batchItemsAdded(.init(batchID: id, firstIndex: Int64(first), items: chunk)))
            }
            events.append(actor.audit("payout_batch.create", target: id.rawValue))
            return Decision(events: events, value: .created(id))
        } thenRead: { (state, outcome) throws(EngineError) -> BatchAnswer in
            switch outcome {
            case .replay(let prior): return BatchAnswer(batch: prior, isReplay: true)
            case .created(let id):
                guard let batch = state.batches[id] else { throw EngineError.notFound("batch") }
                return BatchAnswer(batch: batch, isReplay: false)
            }
        }
    }

    /// The batch an upload or `Idempotency-Key` already made: the same key with another body is refused.
    static func priorBatch(
        _ state: TenantState, contentHash: String, idempotency: IdempotencyInput?, nowMs: Int64
    ) throws(EngineError) -> BatchRecord? {
        if let idempotency, let prior = state.batch(idempotencyKey: idempotency.key, nowMs: nowMs) {
            guard prior.requestHash == idempotency.requestHash else {
                throw EngineError(
                    .idempotencyKeyReused, "Idempotency-Key was used with another request", param: "Idempotency-Key")
            }
            return prior
        }
        return state.batch(contentHash: contentHash, nowMs: nowMs)
    }

    /// Every row checked; all problems reported together (`items[7].phone`, …) in one 422. The dashboard's
    /// preview of an upload runs the same checks, before anything is created.
    public static func validatedRows(_ items: [BatchRowParameters], allowDuplicates: Bool) throws(EngineError)
        -> [TenantEvent.BatchItemInput]
    {
        guard !items.isEmpty else { throw EngineError.invalid("items", "a batch needs at least one row") }
        guard items.count <= Limits.batchItemsCountMax else {
            throw EngineError.invalid(
                "items", "a batch holds at most \(Limits.batchItemsCountMax) rows; this one has \(items.count)")
        }
        var problems: [EngineError.FieldError] = []
        var rows: [TenantEvent.BatchItemInput] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let row = Self.validatedRow(item, index: index, problems: &problems)
            guard let row else { continue }
            let key = row.phone.digits + "/" + String(row.amount.minorUnits)
            if let first = seen[key], !allowDuplicates {
                problems.append(
                    .init(
                        param: "items[\(index)].phone",
                        message: "row \(index + 1) pays the same phone and amount as row \(first + 1); set "
                            + "allow_duplicates to pay both"))
            } else if seen[key] == nil {
                seen[key] = index
            }
            rows.append(row)
        }
        guard problems.isEmpty else {
            let rowsWithProblems = Set(problems.map { $0.param.prefix { $0 != "." } }).count
            var error = EngineError(
                .invalidField,
                "\(rowsWithProblems) of \(items.count) rows are invalid (errors lists each); nothing was created",
                param: problems[0].param)
            error.fieldErrors = problems
            throw error
        }
        return rows
    }

    private static func validatedRow(
        _ item: BatchRowParameters, index: Int, problems: inout [EngineError.FieldError]
    ) -> TenantEvent.BatchItemInput? {
        let prefix = "items[\(index)]."
        let count = problems.count
        let phone = try? MSISDN(item.phone)
        if phone == nil {
            problems.append(.init(param: prefix + "phone", message: "row \(index + 1): phone is not a Kenyan number"))
        }
        var amount: Amount?
        if let shillings = item.amount {
            do {
                amount = try Amount.validatedShillings(shillings, for: .b2c)
            } catch {
                problems.append(.init(param: prefix + "amount", message: "row \(index + 1): \(error.message)"))
            }
        } else {
            problems.append(
                .init(param: prefix + "amount", message: "row \(index + 1): amount must be whole shillings"))
        }
        var reference = ""
        do {
            reference = try darajaText(
                item.reference, field: "reference", min: Limits.remarksCharactersMin, max: Limits.remarksCharactersMax)
        } catch {
            problems.append(.init(param: prefix + "reference", message: "row \(index + 1): \(error.message)"))
        }
        let name = item.name?.trimmingWhitespace()
        if let name,
            name.count > Limits.batchNameCharactersMax
                || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            problems.append(
                .init(
                    param: prefix + "name",
                    message:
                        "row \(index + 1): name must be at most \(Limits.batchNameCharactersMax) printable characters"))
        }
        guard problems.count == count, let phone, let amount else { return nil }
        return .init(phone: phone, amount: amount, reference: reference, name: name?.isEmpty == true ? nil : name)
    }

    /// The paying short code's last known balance (its utility account when a balance check named one, else
    /// the account with the most available) against the batch's total: a warning, or with the organization's
    /// `low_balance: refuse`, a 409.
    static func balanceWarnings(
        _ state: TenantState, profile: ShortCodeID, shortCode: String, total: Amount, settings: BatchSettings
    ) throws(EngineError) -> [String] {
        let accounts = state.balances.values.filter { $0.shortCodeID == profile }
        let account =
            accounts.first { $0.account.lowercased().contains("utility") }
            ?? accounts.max { $0.available < $1.available }
        guard let account else {
            return ["no balance of short code \(shortCode) is known: run POST /v1/balance-checks before sending"]
        }
        guard account.available < total else { return [] }
        let message =
            "the last known balance of short code \(shortCode) (\(account.account), KES \(account.available)) is "
            + "below the batch total (KES \(total))"
        if settings.lowBalance == .refuse {
            throw EngineError(.conflict, message + "; the organization refuses such batches", param: "items")
        }
        return [message]
    }
}

/// What the creating command decided.
enum BatchOutcome: Sendable {
    case replay(BatchRecord)
    case created(BatchID)
}
