public import PesaCore
import Logging

/// An invoice payment asked for by STK push: the invoice, and the push in the operator's organization.
public struct InvoicePaymentAnswer: Sendable {
    public let invoice: Invoice
    public let payment: PaymentAnswer
}

extension Gateway {
    /// The organization's invoices and credit notes, newest month first.
    public func invoices(in organization: OrganizationID, by actor: Actor) async throws(EngineError) -> [Invoice] {
        try actor.authorize(.listInvoices, in: organization)
        return try await engine(organization).read { state in state.invoicesNewestFirst }
    }

    /// One invoice of the organization; another organization's is 404.
    public func invoice(_ id: InvoiceID, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> Invoice
    {
        try actor.authorize(.readInvoice, in: organization)
        return try await invoice(id, engine: try await engine(organization))
    }

    func invoice(_ id: InvoiceID, engine: TenantEngine) async throws(EngineError) -> Invoice {
        try await engine.read { (state) throws(EngineError) in
            guard let invoice = state.billing.invoices[id] else { throw EngineError.notFound("invoice") }
            return invoice
        }
    }

    /// Every numbered invoice of the instance (super admin), newest number first, optionally of one month or
    /// status.
    public func allInvoices(month: String?, status: InvoiceStatus?, by actor: Actor) async throws(EngineError)
        -> [Invoice]
    {
        try actor.authorize(.manageBilling, in: nil)
        let numbered = try await system.read { state in
            state.billing.invoiceNumbers.values.sorted { $0.sequence > $1.sequence }
        }
        var found: [Invoice] = []
        for numbering in numbered {
            guard let engine = try? await engine(numbering.organizationID),
                let invoice = try? await invoice(numbering.invoiceID, engine: engine),
                month == nil || invoice.month == month, status == nil || invoice.status == status
            else { continue }
            found.append(invoice)
        }
        return found
    }

    /// The organization an invoice belongs to: from the instance's numbering (every final invoice), else by
    /// looking through the organizations (a draft, which the caller then refuses).
    func invoiceOwner(_ id: InvoiceID) async throws(EngineError) -> OrganizationID {
        if let numbering = try await system.read({ state in state.billing.invoiceNumbers[id] }) {
            return numbering.organizationID
        }
        for listing in registry.listings {
            guard let organization = try? OrganizationID(parsing: listing.id),
                let holds = try? await engine(organization).read({ state in state.billing.invoices[id] != nil }),
                holds
            else { continue }
            return organization
        }
        throw EngineError.notFound("invoice")
    }

    /// Asks the organization's payer (`phone`) to pay an open invoice by STK push from the operator's short code;
    /// the push's success marks the invoice paid. A retry with the same `Idempotency-Key` gets the first push.
    public func payInvoice(
        _ id: InvoiceID, phone: String, in organization: OrganizationID, idempotency: IdempotencyInput?, by actor: Actor
    ) async throws(EngineError) -> InvoicePaymentAnswer {
        try actor.authorize(.payInvoice, in: organization)
        let invoice = try await self.invoice(id, engine: try await engine(organization))
        try Self.requirePayable(invoice)
        let settings = try await currentBillingSettings()
        guard let operatorOrganization = settings.operatorOrganizationID else {
            throw EngineError(
                .conflict,
                "this gateway's operator takes invoice payments by bank transfer only: pay \(invoice.number ?? "") "
                    + "and send the reference to the operator")
        }
        let amount = (invoice.total.minorUnits + 99) / 100
        let reference = invoice.number.map(Self.accountReference) ?? "INVOICE"
        let operatorActor = Actor(
            principal: Self.systemPrincipal, id: "system", requestID: actor.requestID, keyEnvironment: nil)
        let scoped = idempotency.map {
            IdempotencyInput(key: "invoice:\(id.rawValue):\($0.key)", requestHash: $0.requestHash)
        }
        let answer: PaymentAnswer
        do {
            answer = try await stkPush(
                STKPushParameters(
                    phone: phone, amount: amount, accountReference: reference, description: "Invoice",
                    shortCode: settings.operatorShortCode),
                in: operatorOrganization, idempotency: scoped, by: operatorActor)
        } catch let error where error.param != "phone" && [.invalidField, .credentialsMissing, .subscriptionInactive]
            .contains(error.code)
        {
            // The operator's own setup, not the payer's request: said without the operator's details.
            logger.error("invoice payment cannot be pushed", metadata: ["error": "\(error.message)"])
            throw EngineError(
                .conflict,
                "the operator cannot take M-Pesa payments right now: pay invoice \(invoice.number ?? "") by bank "
                    + "transfer, or try again later")
        }
        let link = TenantEvent.InvoicePaymentStarted(
            paymentID: answer.payment.id, invoiceID: id, organizationID: organization)
        try await system.execute { (state, _) throws(EngineError) in
            guard state.billing.invoicePayments[link.paymentID] == nil else { return Decision(value: ()) }
            return Decision(
                events: [.invoicePaymentStarted(link), actor.audit("invoice.pay", target: id.rawValue)], value: ())
        }
        return InvoicePaymentAnswer(invoice: invoice, payment: answer)
    }

    /// A super admin marks an open invoice paid by hand (a bank transfer), with its reference.
    public func markInvoicePaid(_ id: InvoiceID, reference: String, by actor: Actor) async throws(EngineError)
        -> Invoice
    {
        try actor.authorize(.manageBilling, in: nil)
        let reference = reference.trimmingWhitespace()
        guard (1...Limits.billingReasonCharactersMax).contains(reference.unicodeScalars.count) else {
            throw EngineError.invalid(
                "reference", "reference must be 1 to \(Limits.billingReasonCharactersMax) characters")
        }
        let organization = try await invoiceOwner(id)
        return try await settle(
            id, in: organization, payment: InvoicePayment(method: "manual", reference: reference), by: actor)
    }

    /// A super admin voids an open invoice: it is `void` and a credit note of its total is issued (numbered from
    /// the same sequence). A correction is a new billing run for the month.
    public func voidInvoice(_ id: InvoiceID, reason: String, by actor: Actor) async throws(EngineError) -> Invoice {
        try actor.authorize(.manageBilling, in: nil)
        let reason = reason.trimmingWhitespace()
        guard (1...Limits.billingReasonCharactersMax).contains(reason.unicodeScalars.count) else {
            throw EngineError.invalid("reason", "reason must be 1 to \(Limits.billingReasonCharactersMax) characters")
        }
        let organization = try await invoiceOwner(id)
        let engine = try await self.engine(organization)
        let original = try await invoice(id, engine: engine)
        guard original.kind == .invoice, original.status == .open else {
            throw EngineError(
                .conflict, "only an open invoice is voided; this one is \(original.status.rawValue)", param: "id")
        }
        let settings = try await currentBillingSettings()
        let creditID = InvoiceID(randomBytes: CommandContext.randomBytes(16))
        let numbered = try await system.execute { (state, _) throws(EngineError) in
            if let existing = state.billing.invoiceNumbers.values.first(where: { $0.invoiceID == creditID }) {
                return Decision(value: existing)
            }
            let sequence = state.billing.lastInvoiceSequence + 1
            let numbering = TenantEvent.InvoiceNumbered(
                sequence: sequence, number: settings.invoiceNumber(sequence: sequence, month: original.month),
                invoiceID: creditID, organizationID: organization)
            return Decision(events: [.invoiceNumbered(numbering)], value: numbering)
        }
        return try await engine.execute { (state, context) throws(EngineError) in
            guard var voided = state.billing.invoices[id], voided.status == .open else {
                throw EngineError(.conflict, "the invoice is no longer open", param: "id")
            }
            voided.status = .void
            voided.voidedAtMs = context.nowMs
            voided.voidReason = reason
            voided.relatedInvoiceID = creditID
            let credit = Self.creditNote(
                creditID, for: voided, number: numbered.number, reason: reason, nowMs: context.nowMs)
            var events: [TenantEvent] = [
                .invoiceSaved(voided), .invoiceSaved(credit), actor.audit("invoice.void", target: id.rawValue),
            ]
            var after = state
            try? after.apply(.invoiceSaved(voided), seq: state.lastSeq + 1, atMs: context.nowMs)
            if let reactivated = after.reactivation(
                afterSettling: id, nowMs: context.nowMs, reason: "invoice \(voided.number ?? "") was voided")
            {
                events.append(.subscriptionUpdated(reactivated))
            }
            return Decision(events: events, value: voided)
        }
    }

    static func creditNote(_ id: InvoiceID, for invoice: Invoice, number: String, reason: String, nowMs: Int64)
        -> Invoice
    {
        let line = InvoiceLine(
            item: "credit", description: "Credit for invoice \(invoice.number ?? invoice.id.rawValue): \(reason)",
            quantity: 1, unitAmount: Amount(minorUnits: -invoice.subtotal.minorUnits),
            amount: Amount(minorUnits: -invoice.subtotal.minorUnits))
        var credit = Invoice(
            id: id, kind: .creditNote, month: invoice.month, periodStartMs: invoice.periodStartMs,
            periodEndMs: invoice.periodEndMs, plan: invoice.plan, planVersion: invoice.planVersion, lines: [line],
            vatBasisPoints: invoice.vatBasisPoints, vatInclusive: false, throughSeq: invoice.throughSeq,
            createdAtMs: nowMs)
        // The credit note returns exactly what the invoice charged, tax included.
        credit.tax = Amount(minorUnits: -invoice.tax.minorUnits)
        credit.total = Amount(minorUnits: -invoice.total.minorUnits)
        credit.status = .open
        credit.number = number
        credit.organizationName = invoice.organizationName
        credit.finalizedAtMs = nowMs
        credit.dueAtMs = nowMs
        credit.relatedInvoiceID = invoice.id
        return credit
    }

    /// Marks an open invoice paid and brings a `past_due` or `suspended` subscription back when nothing else is
    /// overdue. Paying a paid invoice again changes nothing.
    func settle(_ id: InvoiceID, in organization: OrganizationID, payment: InvoicePayment, by actor: Actor)
        async throws(EngineError) -> Invoice
    {
        let engine = try await self.engine(organization)
        return try await engine.execute { (state, context) throws(EngineError) in
            guard var invoice = state.billing.invoices[id] else { throw EngineError.notFound("invoice") }
            if invoice.status == .paid { return Decision(value: invoice) }
            try Self.requirePayable(invoice)
            invoice.status = .paid
            invoice.paidAtMs = context.nowMs
            invoice.payment = payment
            var events: [TenantEvent] = [
                .invoiceSaved(invoice), actor.audit("invoice.paid", target: "\(id.rawValue) \(payment.method)"),
            ]
            if let reactivated = state.reactivation(
                afterSettling: id, nowMs: context.nowMs, reason: "invoice \(invoice.number ?? "") was paid")
            {
                events.append(.subscriptionUpdated(reactivated))
            }
            return Decision(events: events, value: invoice)
        }
    }

    static func requirePayable(_ invoice: Invoice) throws(EngineError) {
        guard invoice.kind == .invoice else { throw EngineError(.conflict, "a credit note is not paid", param: "id") }
        switch invoice.status {
        case .open: return
        case .draft:
            throw EngineError(
                .conflict, "invoice of \(invoice.month) is a draft until the month's billing is finalized",
                param: "id")
        case .paid: throw EngineError(.conflict, "invoice \(invoice.number ?? "") is already paid", param: "id")
        case .void: throw EngineError(.conflict, "invoice \(invoice.number ?? "") is void", param: "id")
        }
    }

    /// Invoice pushes whose payment succeeded mark their invoice paid (after the operator's callbacks, and on
    /// every billing tick for payments settled by reconciliation). A push settled by a status query has no
    /// receipt yet (Daraja's query answer carries none): its invoice names the payment until the push's own
    /// callback brings the receipt, which then replaces it.
    func settleInvoicePayments() async {
        guard
            let (operatorOrganization, links) = try? await system.read({ state in
                (state.billing.settings?.operatorOrganizationID, Array(state.billing.invoicePayments.values))
            }), let operatorOrganization, !links.isEmpty,
            let operatorEngine = try? await engine(operatorOrganization)
        else { return }
        for link in links {
            guard let payment = try? await payment(link.paymentID, engine: operatorEngine),
                payment.status == .succeeded,
                let engine = try? await engine(link.organizationID),
                let invoice = try? await invoice(link.invoiceID, engine: engine)
            else { continue }
            let system = Actor(principal: Self.systemPrincipal, id: "system", requestID: "billing")
            guard invoice.status == .open else {
                if let receipt = payment.mpesaReceipt, invoice.status == .paid,
                    invoice.payment?.paymentID == payment.id, invoice.payment?.reference != receipt
                {
                    await recordReceipt(receipt, of: payment.id, on: link.invoiceID, engine: engine, by: system)
                }
                continue
            }
            do {
                _ = try await settle(
                    link.invoiceID, in: link.organizationID,
                    payment: InvoicePayment(
                        method: "mpesa", reference: payment.mpesaReceipt ?? payment.id.rawValue,
                        paymentID: payment.id),
                    by: system)
            } catch {
                logger.error(
                    "invoice payment not recorded", metadata: ["invoice": "\(link.invoiceID)", "error": "\(error)"])
            }
        }
    }

    /// The receipt of the push that paid an invoice, once it is known, as the invoice's payment reference.
    private func recordReceipt(
        _ receipt: String, of paymentID: PaymentID, on id: InvoiceID, engine: TenantEngine, by actor: Actor
    ) async {
        do {
            _ = try await engine.execute { (state, _) throws(EngineError) in
                guard var invoice = state.billing.invoices[id], invoice.status == .paid,
                    invoice.payment?.paymentID == paymentID, invoice.payment?.reference != receipt
                else { return Decision(value: ()) }
                invoice.payment?.reference = receipt
                let audit = actor.audit("invoice.receipt", target: "\(id.rawValue) \(receipt)")
                return Decision(events: [.invoiceSaved(invoice), audit], value: ())
            }
        } catch {
            logger.error("invoice receipt not recorded", metadata: ["invoice": "\(id)", "error": "\(error)"])
        }
    }

    /// `PESA-2026-000123` as an M-Pesa account reference (at most 12 characters): `2026000123`.
    static func accountReference(_ number: String) -> String {
        String(number.split(separator: "-").dropFirst().joined().suffix(Limits.accountReferenceCharactersMax))
    }

    static var systemPrincipal: Principal {
        guard let principal = try? Principal(role: .superAdmin, organizationID: nil) else {
            preconditionFailure("a super admin needs no organization")
        }
        return principal
    }
}
