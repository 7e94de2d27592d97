import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// What a batch form's body may hold (`POST /ui/batches/new`'s body limit): the CSV both as a file and
    /// pasted, and the other fields. The CSV itself is held to the API's cap, `Limits.batchBodyBytesMax`, with
    /// a message next to its field.
    static let batchFormBytesMax = 2 * Limits.batchBodyBytesMax + formBytesMax

    /// `GET /ui/batches/new`: the upload form (the role of `POST /v1/payout-batches`): a CSV file or pasted
    /// rows, the command, the short code to pay from.
    @Sendable func newBatch(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        let organization = try context.targetOrganization(request)
        try context.require(.createPayoutBatch, in: organization)
        var form = BatchUploadView()
        form.org = page.identity.principal.organizationID == nil ? organization.rawValue : nil
        return try await batchForm(form, page: page, organization: organization)
    }

    /// `POST /ui/batches/new`: with `step=preview` (the upload form), every row of the CSV read and checked by
    /// the API's own code (`BatchUpload.csvRows`, `Gateway.validatedRows`) and shown, each with its errors,
    /// nothing created; with `step=confirm` (the preview's form, which carries the CSV it showed), the same
    /// checks again, then the batch through the API's use case, the form's idempotency key making a second
    /// confirm answer the first batch. Success: 303 to the batch's page.
    @Sendable func uploadBatch(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        let fields = try await DashboardUpload.read(request, context: context, bytesMax: Self.batchFormBytesMax)
        try requireCSRF(fields, page: page)
        let organization = try context.targetOrganization(request)
        try context.require(.createPayoutBatch, in: organization)
        var form = BatchUploadView(fields)
        form.org = page.identity.principal.organizationID == nil ? organization.rawValue : nil
        guard form.readRows() else {
            return try await batchForm(form, page: page, organization: organization, status: form.status)
        }
        guard fields["step"] == "confirm", form.isValid else {
            return try await batchForm(form, page: page, organization: organization, status: form.status)
        }
        let contentHash = Hex.encodeString(SHA256.hash(data: Data(form.text.utf8)))
        let input = BatchParameters(
            command: form.command, shortCode: form.shortCode.isEmpty ? nil : form.shortCode, items: form.rows,
            allowDuplicates: form.allowDuplicates, contentHash: contentHash)
        let key = fields["idempotency_key"].flatMap {
            Request.isPrintableASCII($0, bytesMax: Limits.idempotencyKeyCharactersMax) ? $0 : nil
        }
        let requestHash = Hex.encodeString(
            SHA256.hash(
                data: Data(
                    [form.command, form.shortCode, String(form.allowDuplicates), contentHash].map {
                        "\($0.utf8.count):\($0)"
                    }.joined(separator: "|").utf8)))
        do {
            try Task.checkCancellation()
            let answer = try await gateway.createPayoutBatch(
                input, in: organization, idempotency: key.map { IdempotencyInput(key: $0, requestHash: requestHash) },
                by: page.identity.actor(requestID: context.requestID))
            return DashboardPages.redirect(
                to: BatchViews.link("/ui/batches/\(answer.batch.id.rawValue)", done: "created", org: form.org))
        } catch let error as EngineError where error.code != .forbidden && error.code != .notFound {
            if error.code == .idempotencyKeyReused {
                form.error = "This form was already sent with other values. Check them and confirm again."
            } else {
                form.fail(error)
            }
            form.status = ErrorMapping.apiError(for: error).status
            return try await batchForm(form, page: page, organization: organization, status: form.status)
        }
    }

    /// The upload form, or the preview of rows read, with the organization's short codes that can pay out and
    /// a new idempotency key.
    func batchForm(
        _ form: BatchUploadView, page: DashboardPage, organization: OrganizationID, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var form = form
        let engine = try await gateway.engine(organization)
        form.shortCodes = try await Self.payoutShortCodes(engine)
        form.approval = try await engine.read { state in state.batchSettings ?? BatchSettings() }
        form.csrfToken = page.session.csrfToken
        form.idempotencyKey = DashboardSessions.randomToken()
        let preview = form.read
        return DashboardPages.page(
            title: preview ? "Check the batch" : "New payout batch",
            layout: DashboardLayout(
                organizationName: engine.accessView.organization?.name, page: page, currentPath: "/ui/batches"),
            template: DashboardTemplates.batchUpload,
            context: form.context, status: status)
    }
}

/// The batch form's values as sent (the CSV from the file, else the pasted text), the rows read from it and
/// each row's errors.
struct BatchUploadView {
    var command = B2CCommand.businessPayment.rawValue
    var shortCode = ""
    var allowDuplicates = false
    var text = ""
    var org: String?
    /// Rows were read from the CSV: the preview is shown (else the upload form).
    var read = false
    var rows: [BatchRowParameters] = []
    /// Each row's messages, by its index.
    var rowErrors: [Int: [String]] = [:]
    var textError: String?
    var commandError: String?
    var shortCodeError: String?
    var error: String?
    var status = HTTPResponse.Status.ok
    var shortCodes: [STKPushFormView.ShortCode] = []
    var approval = BatchSettings()
    var csrfToken = ""
    var idempotencyKey = ""

    init() {}

    init(_ fields: [String: String]) {
        command = fields["command"]?.trimmingCharacters(in: .whitespaces) ?? ""
        shortCode = fields["short_code"]?.trimmingCharacters(in: .whitespaces) ?? ""
        allowDuplicates = fields["allow_duplicates"] == "true"
        let file = fields["file"] ?? ""
        text = file.isEmpty ? fields["csv_text"] ?? "" : file
    }

    var isValid: Bool {
        rowErrors.isEmpty && textError == nil && commandError == nil && shortCodeError == nil && error == nil
    }

    /// Reads the CSV as the API does and checks every row; false (and the message next to the CSV) when no row
    /// can be read at all.
    mutating func readRows() -> Bool {
        status = .unprocessableContent
        guard text.utf8.count <= Limits.batchBodyBytesMax else {
            textError = "The CSV is larger than \(Limits.batchBodyBytesMax / 1024 / 1024) MiB, the most a batch takes."
            status = .contentTooLarge
            return false
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            textError = "Choose a CSV file, or paste its rows."
            return false
        }
        do {
            rows = try BatchUpload.csvRows(Array(text.utf8))
        } catch let error as APIError {
            textError = error.message
            return false
        } catch {
            textError = "The CSV cannot be read."
            return false
        }
        guard !rows.isEmpty else {
            textError = "The CSV has its header row but no row to pay."
            return false
        }
        read = true
        if B2CCommand(rawValue: command) == nil {
            commandError = "Choose one of \(B2CCommand.allCases.map(\.rawValue).joined(separator: ", "))."
        }
        do throws(EngineError) {
            _ = try Gateway.validatedRows(rows, allowDuplicates: allowDuplicates)
        } catch {
            fail(error)
        }
        if isValid { status = .ok }
        return true
    }

    /// An error of the checks or of the creation: a row's next to the row, the others on top.
    mutating func fail(_ error: EngineError) {
        let problems =
            error.fieldErrors.isEmpty
            ? [EngineError.FieldError(param: error.param ?? "", message: error.message)] : error.fieldErrors
        for problem in problems {
            if let index = Self.rowIndex(problem.param), rows.indices.contains(index) {
                rowErrors[index, default: []].append(problem.message)
            } else if problem.param == "command" {
                commandError = problem.message
            } else if problem.param == "short_code" {
                shortCodeError = problem.message
            } else if problem.param == "items", rows.isEmpty {
                textError = problem.message
            } else {
                self.error = problem.message
            }
        }
    }

    /// 7 of `items[7].phone`.
    static func rowIndex(_ param: String) -> Int? {
        guard param.hasPrefix("items["), let close = param.firstIndex(of: "]") else { return nil }
        return Int(param[param.index(param.startIndex, offsetBy: 6)..<close])
    }
}
