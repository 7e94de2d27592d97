import Hummingbird
import NIOCore
import PesaCore
import PesaEngine

/// `/v1/invoices` (org_admin): the organization's invoices and credit notes, each also as a printable page
/// (`/v1/invoices/{id}.html`) and as CSV of its lines (`/v1/invoices/{id}.csv`), and paying one by STK push from
/// the operator's short code.
struct InvoicesController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.listSpec, use: list)
        routes.add(Self.readSpec, use: read)
        routes.add(Self.paySpec, use: pay)
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws -> ListResponse<InvoiceJSON> {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let page = try PageRequest(request: request)
        let filter = try InvoiceFilter(request: request)
        let invoices = try await gateway.invoices(in: organization, by: identity.actor(requestID: context.requestID))
        let (shown, next) = try page.slice(invoices.filter(filter.matches), id: \.id.rawValue)
        return ListResponse(data: shown.map(InvoiceJSON.init), nextCursor: next)
    }

    /// The invoice as JSON, or with `.html` / `.csv` after its id, as a printable page or CSV.
    @Sendable func read(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let raw = context.parameters.get("id") ?? ""
        let format = ["html", "csv"].first { raw.hasSuffix(".\($0)") }
        let idText = format.map { String(raw.dropLast($0.count + 1)) } ?? raw
        guard let id = try? InvoiceID(parsing: idText) else {
            throw APIError.invalidField("id", "id must be inv_ followed by 26 base32 characters, then .html or .csv")
        }
        let invoice = try await gateway.invoice(id, in: organization, by: identity.actor(requestID: context.requestID))
        switch format {
        case "html":
            let settings = try await gateway.invoicePrintSettings()
            return Self.text(InvoiceDocument.html(invoice, settings: settings), type: "text/html; charset=utf-8")
        case "csv":
            var response = Self.text(try InvoiceDocument.csv(invoice), type: "text/csv; charset=utf-8")
            let name = invoice.number ?? invoice.id.rawValue
            response.headers[.contentDisposition] = "attachment; filename=\"\(name).csv\""  // ASCII: number or id
            return response
        default:
            return try InvoiceJSON(invoice).response(from: request, context: context)
        }
    }

    struct PayBody: Codable, Sendable {
        let phone: String
    }

    @Sendable func pay(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let organization = try context.targetOrganization(request)
        let id = try context.parameters.requireID("id", as: InvoiceID.self)
        let key = try request.idempotencyKey()
        let body = try await request.decodeHashedJSON(as: PayBody.self, context: context)
        let answer = try await gateway.payInvoice(
            id, phone: body.value.phone, in: organization,
            idempotency: key.map { IdempotencyInput(key: $0, requestHash: body.requestHash) },
            by: identity.actor(requestID: context.requestID))
        var response = try PayJSON(answer).response(from: request, context: context)
        response.status = .created
        if answer.payment.isReplay { response.headers[.idempotencyHit] = "true" }
        return response
    }

    /// The push asking for an invoice's payment: its id and status, and the amount asked (the total rounded up
    /// to a whole shilling: M-Pesa takes whole shillings).
    struct PayJSON: ResponseEncodable, Sendable {
        let invoiceID: String
        let paymentID: String
        let status: String
        let amount: ShillingsJSON
        let phone: String

        init(_ answer: InvoicePaymentAnswer) {
            invoiceID = answer.invoice.id.rawValue
            paymentID = answer.payment.payment.id.rawValue
            status = answer.payment.payment.status.rawValue
            amount = ShillingsJSON(answer.payment.payment.amount)
            phone = answer.payment.payment.phone
        }

        enum CodingKeys: String, CodingKey {
            case status, amount, phone
            case invoiceID = "invoice_id"
            case paymentID = "payment_id"
        }
    }

    static func text(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let listSpec = RouteSpec(
        .get, "/v1/invoices", summary: "The organization's invoices and credit notes, newest month first",
        action: .listInvoices, tag: "billing",
        query: [
            "org": JSONSchema.string, "status": JSONSchema.enumeration(InvoiceStatus.allCases.map(\.rawValue)),
            "month": JSONSchema.string,
        ].merging(JSONSchema.pageQuery) { $1 },
        responseBody: JSONSchema.page(of: InvoiceJSON.schema), errors: [.invalidField])
    static let readSpec = RouteSpec(
        .get, "/v1/invoices/{id}",
        summary: "An invoice; with .html after the id a printable page, with .csv its lines as CSV",
        action: .readInvoice, tag: "billing", query: ["org": JSONSchema.string], responseBody: InvoiceJSON.schema,
        errors: [.invalidField, .notFound])
    static let paySpec = RouteSpec(
        .post, "/v1/invoices/{id}/pay",
        summary: "Pay an open invoice by STK push from the operator's short code (Idempotency-Key supported)",
        action: .payInvoice, tag: "billing",
        requestBody: JSONSchema.object(["phone": JSONSchema.string], required: ["phone"]),
        query: ["org": JSONSchema.string], successStatus: .created,
        responseBody: JSONSchema.object([
            "invoice_id": JSONSchema.string, "payment_id": JSONSchema.string, "status": JSONSchema.string,
            "amount": ["type": "number"], "phone": JSONSchema.string,
        ]),
        errors: [
            .invalidField, .notFound, .conflict, .idempotencyKeyReused, .credentialsMissing, .upstreamError,
            .upstreamUnavailable,
        ], idempotent: true)
}

/// `?status=` and `?month=` of an invoice list (422 naming the parameter when unreadable).
struct InvoiceFilter: Sendable {
    var status: InvoiceStatus?
    var month: String?

    init(request: Request) throws {
        let query = request.uri.queryParameters
        if let text = query.get("status") {
            guard let status = InvoiceStatus(rawValue: text) else {
                throw APIError.invalidField(
                    "status", "status must be one of \(InvoiceStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.status = status
        }
        if let text = query.get("month") {
            guard KenyaTime.month(text) != nil else {
                throw APIError.invalidField("month", "month must be YYYY-MM (Kenya time), e.g. 2026-12")
            }
            month = text
        }
    }

    func matches(_ invoice: Invoice) -> Bool {
        (status == nil || invoice.status == status) && (month == nil || invoice.month == month)
    }
}
