import Hummingbird
import PesaCore
import PesaEngine

/// The operator's billing (super admin): billing runs (`POST /v1/admin/billing/runs {month, finalize?}`,
/// idempotent per month), every invoice of the instance, marking one paid by hand, voiding one (a credit note is
/// issued), and the billing settings.
struct BillingAdminController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.runSpec, use: run)
        routes.add(Self.listSpec, use: list)
        routes.add(Self.markPaidSpec, use: markPaid)
        routes.add(Self.voidSpec, use: void)
        routes.add(Self.readSettingsSpec, use: readSettings)
        routes.add(Self.patchSettingsSpec, use: patchSettings)
    }

    struct RunBody: Codable, Sendable {
        let month: String
        /// Finalize an ended month now instead of after its draft period.
        let finalize: Bool?
    }

    struct RunJSON: ResponseEncodable, Sendable {
        struct Entry: Encodable, Sendable {
            let organizationID: String
            let slug: String
            let action: String
            let invoice: InvoiceJSON?

            enum CodingKeys: String, CodingKey {
                case slug, action, invoice
                case organizationID = "organization_id"
            }
        }

        let month: String
        let timezone: String
        let finalized: Bool
        let organizations: [Entry]
        let total: ShillingsJSON
    }

    @Sendable func run(_ request: Request, context: PesaRequestContext) async throws -> RunJSON {
        let identity = try context.requireIdentity()
        let body = try await request.decodeJSON(as: RunBody.self, context: context)
        let run = try await gateway.runBilling(
            month: body.month, finalizeNow: body.finalize ?? false, by: identity.actor(requestID: context.requestID))
        let total = run.organizations.reduce(Int64(0)) { $0 + ($1.invoice?.total.minorUnits ?? 0) }
        return RunJSON(
            month: run.month, timezone: UsageController.timezone, finalized: run.finalized,
            organizations: run.organizations.map {
                .init(
                    organizationID: $0.organizationID.rawValue, slug: $0.slug, action: $0.action.rawValue,
                    invoice: $0.invoice.map(InvoiceJSON.init))
            }, total: ShillingsJSON(Amount(minorUnits: total)))
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<InvoiceJSON> {
        let identity = try context.requireIdentity()
        let page = try PageRequest(request: request)
        let filter = try InvoiceFilter(request: request)
        let invoices = try await gateway.allInvoices(
            month: filter.month, status: filter.status, by: identity.actor(requestID: context.requestID))
        let (shown, next) = try page.slice(invoices, id: \.id.rawValue)
        return ListResponse(data: shown.map(InvoiceJSON.init), nextCursor: next)
    }

    struct MarkPaidBody: Codable, Sendable {
        let reference: String
    }

    @Sendable func markPaid(_ request: Request, context: PesaRequestContext) async throws -> InvoiceJSON {
        let identity = try context.requireIdentity()
        let id = try context.parameters.requireID("id", as: InvoiceID.self)
        let body = try await request.decodeJSON(as: MarkPaidBody.self, context: context)
        return InvoiceJSON(
            try await gateway.markInvoicePaid(
                id, reference: body.reference, by: identity.actor(requestID: context.requestID)))
    }

    struct VoidBody: Codable, Sendable {
        let reason: String
    }

    @Sendable func void(_ request: Request, context: PesaRequestContext) async throws -> InvoiceJSON {
        let identity = try context.requireIdentity()
        let id = try context.parameters.requireID("id", as: InvoiceID.self)
        let body = try await request.decodeJSON(as: VoidBody.self, context: context)
        return InvoiceJSON(
            try await gateway.voidInvoice(id, reason: body.reason, by: identity.actor(requestID: context.requestID)))
    }

    struct SettingsJSON: ResponseEncodable, Sendable {
        let settings: BillingSettings

        func encode(to encoder: any Encoder) throws { try settings.encode(to: encoder) }
    }

    @Sendable func readSettings(_ request: Request, context: PesaRequestContext) async throws -> SettingsJSON {
        let identity = try context.requireIdentity()
        return SettingsJSON(
            settings: try await gateway.billingSettings(by: identity.actor(requestID: context.requestID)))
    }

    struct SettingsBody: Decodable, Sendable {
        let dueDays: Int64?
        let graceDays: Int64?
        let draftDays: Int64?
        let vatBasisPoints: Int64?
        let vatInclusive: Bool?
        let invoicePrefix: String?
        let operatorName: String?
        let operatorAddress: String?
        let operatorTaxPIN: String?
        /// Absent: unchanged; `null`: cleared.
        var operatorOrganizationID: String??
        var operatorShortCode: String??

        typealias CodingKeys = BillingSettings.CodingKeys

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            dueDays = try container.decodeIfPresent(Int64.self, forKey: .dueDays)
            graceDays = try container.decodeIfPresent(Int64.self, forKey: .graceDays)
            draftDays = try container.decodeIfPresent(Int64.self, forKey: .draftDays)
            vatBasisPoints = try container.decodeIfPresent(Int64.self, forKey: .vatBasisPoints)
            vatInclusive = try container.decodeIfPresent(Bool.self, forKey: .vatInclusive)
            invoicePrefix = try container.decodeIfPresent(String.self, forKey: .invoicePrefix)
            operatorName = try container.decodeIfPresent(String.self, forKey: .operatorName)
            operatorAddress = try container.decodeIfPresent(String.self, forKey: .operatorAddress)
            operatorTaxPIN = try container.decodeIfPresent(String.self, forKey: .operatorTaxPIN)
            for key in [CodingKeys.operatorOrganizationID, .operatorShortCode] where container.contains(key) {
                let value: String?? =
                    try container.decodeNil(forKey: key) ? .some(nil) : try container.decode(String.self, forKey: key)
                if key == .operatorOrganizationID { operatorOrganizationID = value } else { operatorShortCode = value }
            }
        }

        func changes() throws -> BillingSettingsChanges {
            var changes = BillingSettingsChanges()
            changes.dueDays = dueDays
            changes.graceDays = graceDays
            changes.draftDays = draftDays
            changes.vatBasisPoints = vatBasisPoints
            changes.vatInclusive = vatInclusive
            changes.invoicePrefix = invoicePrefix
            changes.operatorName = operatorName
            changes.operatorAddress = operatorAddress
            changes.operatorTaxPIN = operatorTaxPIN
            switch operatorOrganizationID {
            case .none: break
            case .some(.none): changes.clearOperatorOrganization = true
            case .some(.some(let text)):
                changes.operatorOrganizationID = try OrganizationID(parsing: text, field: "operator_organization_id")
            }
            switch operatorShortCode {
            case .none: break
            case .some(.none): changes.clearOperatorShortCode = true
            case .some(.some(let text)): changes.operatorShortCode = text
            }
            return changes
        }
    }

    @Sendable func patchSettings(_ request: Request, context: PesaRequestContext) async throws -> SettingsJSON {
        let identity = try context.requireIdentity()
        let body = try await request.decodeJSON(as: SettingsBody.self, context: context)
        return SettingsJSON(
            settings: try await gateway.updateBillingSettings(
                try body.changes(), by: identity.actor(requestID: context.requestID)))
    }

    static let settingsSchema = JSONSchema.object([
        "due_days": JSONSchema.integer, "grace_days": JSONSchema.integer, "draft_days": JSONSchema.integer,
        "vat_basis_points": JSONSchema.integer, "vat_inclusive": JSONSchema.boolean,
        "invoice_prefix": JSONSchema.string, "operator_name": JSONSchema.string, "operator_address": JSONSchema.string,
        "operator_kra_pin": JSONSchema.string, "operator_organization_id": JSONSchema.nullable(JSONSchema.string),
        "operator_short_code": JSONSchema.nullable(JSONSchema.string),
    ])

    static let runSpec = RouteSpec(
        .post, "/v1/admin/billing/runs",
        summary: "Bill a month (Kenya time) for every organization: drafts to date, or final invoices once it ended",
        action: .manageBilling, tag: "billing",
        requestBody: JSONSchema.object(
            ["month": JSONSchema.string, "finalize": JSONSchema.boolean], required: ["month"]),
        responseBody: JSONSchema.object([
            "month": JSONSchema.string, "timezone": JSONSchema.string, "finalized": JSONSchema.boolean,
            "total": ["type": "number"],
            "organizations": JSONSchema.array(
                of: JSONSchema.object([
                    "organization_id": JSONSchema.string, "slug": JSONSchema.string,
                    "action": JSONSchema.enumeration(["created", "refreshed", "finalized", "unchanged", "none"]),
                    "invoice": JSONSchema.nullable(InvoiceJSON.schema),
                ])),
        ]), errors: [.invalidField])
    static let listSpec = RouteSpec(
        .get, "/v1/admin/invoices", summary: "Every numbered invoice of the instance, newest number first",
        action: .manageBilling, tag: "billing",
        query: [
            "status": JSONSchema.enumeration(InvoiceStatus.allCases.map(\.rawValue)), "month": JSONSchema.string,
        ].merging(JSONSchema.pageQuery) { $1 },
        responseBody: JSONSchema.page(of: InvoiceJSON.schema), errors: [.invalidField])
    static let markPaidSpec = RouteSpec(
        .post, "/v1/admin/invoices/{id}/mark-paid", summary: "Mark an open invoice paid by hand (a bank transfer)",
        action: .manageBilling, tag: "billing",
        requestBody: JSONSchema.object(["reference": JSONSchema.string], required: ["reference"]),
        responseBody: InvoiceJSON.schema, errors: [.invalidField, .notFound, .conflict])
    static let voidSpec = RouteSpec(
        .post, "/v1/admin/invoices/{id}/void", summary: "Void an open invoice; a credit note cancels it",
        action: .manageBilling, tag: "billing",
        requestBody: JSONSchema.object(["reason": JSONSchema.string], required: ["reason"]),
        responseBody: InvoiceJSON.schema, errors: [.invalidField, .notFound, .conflict])
    static let readSettingsSpec = RouteSpec(
        .get, "/v1/admin/billing/settings", summary: "The instance's billing settings", action: .manageBilling,
        tag: "billing", responseBody: settingsSchema)
    static let patchSettingsSpec = RouteSpec(
        .patch, "/v1/admin/billing/settings",
        summary: "Change billing settings: due and grace days, draft days, VAT, invoice prefix, the operator",
        action: .manageBilling, tag: "billing", requestBody: settingsSchema, responseBody: settingsSchema,
        errors: [.invalidField])
}
