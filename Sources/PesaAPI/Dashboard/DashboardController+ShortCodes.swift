import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    func addShortCodeRoutes(to group: RouterGroup<PesaRequestContext>) {
        group.get("settings/credentials", use: shortCodes)
        group.get("settings/credentials/new", use: newShortCode)
        group.post("settings/credentials/new", use: createShortCode)
        group.get("settings/credentials/:id", use: editShortCode)
        group.post("settings/credentials/:id", use: updateShortCode)
        group.post("settings/credentials/:id/verify", use: verifyShortCode)
        group.post("settings/credentials/:id/delete", use: deleteShortCode)
        group.get("settings/short-codes", use: movedShortCodePage)
        group.get("settings/short-codes/new", use: movedShortCodePage)
        group.get("settings/short-codes/:id", use: movedShortCodePage)
    }

    /// `GET /ui/settings/short-codes[/new|/{id}]`, where the short codes were first: 308 to the same page under
    /// `/ui/settings/credentials`, its query kept, so bookmarks still work.
    @Sendable func movedShortCodePage(_ request: Request, context: PesaRequestContext) async throws -> Response {
        var path = "/ui/settings/credentials"
        if request.uri.path.hasSuffix("/new") {
            path += "/new"
        } else if context.parameters.get("id") != nil {
            path += "/" + (try shortCodeID(context)).rawValue
        }
        let query = request.uri.query.map { "?" + $0 } ?? ""
        return Response(status: .permanentRedirect, headers: [.location: path + query])
    }

    /// `GET /ui/settings/credentials`: the organization's profiles as `GET /v1/short-codes` lists them (manager
    /// and up), every secret masked as the API masks it, with their last verification.
    @Sendable func shortCodes(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .listShortCodes)
        let notice =
            switch request.uri.queryParameters.get("done") {
            case "saved": "The short code was saved."
            case "deleted": "The short code was deleted; its payments and history stay."
            default: String?.none
            }
        return try await shortCodeList(scope, notice: notice)
    }

    func shortCodeList(
        _ scope: DashboardScope, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let records = try await gateway.shortCodes(in: scope.organization, includeDeleted: false, by: scope.actor)
        let principal = scope.page.identity.principal
        let rows: [[String: Any]] = records.map { record in
            let verification = record.lastVerification.map { check in
                (check.ok ? "Keys accepted" : "Refused: " + (check.error ?? "no reason given")) + " · "
                    + DashboardFormat.kenyaTime(ms: check.checkedAtMs) + " EAT"
            }
            return [
                "id": record.id.rawValue, "label": record.label, "number": record.shortCode,
                "kind": record.kind.rawValue, "environment": record.environment, "default": record.isDefault,
                "till": record.tillNumber ?? "",
                "hints": ShortCodeFormView.vaultFields.compactMap { field -> [String: Any]? in
                    guard let hint = record.hints[field.name] else { return nil }
                    return ["label": field.label, "hint": hint]
                },
                "verification": verification ?? "Never verified",
            ]
        }
        return try await settingsPage(
            scope, title: "Short codes", current: "/ui/settings", template: DashboardTemplates.shortCodeList,
            values: [
                "rows": rows, "empty": rows.isEmpty, "notice": DashboardPages.section(notice),
                "error": DashboardPages.section(error),
                "can_write": principal.authorize(.createShortCode, in: scope.organization) == .allowed,
            ], status: status)
    }

    /// `GET /ui/settings/credentials/new`: the form of `POST /v1/short-codes` (org_admin).
    @Sendable func newShortCode(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createShortCode)
        return try await shortCodeForm(ShortCodeFormView(record: nil), scope: scope)
    }

    /// `POST /ui/settings/credentials/new`: `Gateway.createShortCode`, once per form (its idempotency key, the
    /// values compared by a keyed hash as the API compares a body holding secrets). An error shows the form
    /// again with the message next to its field and what was typed kept, secrets excepted: they are typed again.
    @Sendable func createShortCode(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .createShortCode)
        let fields = try await settingsForm(request, context: context, scope: scope)
        var form = ShortCodeFormView(record: nil)
        form.read(fields)
        let input = form.input(fields, creating: true)
        let hash = gateway.keyedRequestHash(
            Array(Self.valuesHash(ShortCodeFormView.fieldNames.map { fields[$0] ?? "" }).utf8))
        do {
            // The scope keeps the form's first path, so the keys journaled under it still replay.
            _ = try await once(
                route: "POST /ui/settings/short-codes/new", key: Self.formKey(fields), hash: hash, scope: scope
            ) {
                try await gateway.createShortCode(input, in: scope.organization, by: scope.actor).id.rawValue
            }
            return DashboardPages.redirect(to: scope.link("/ui/settings/credentials", done: "saved"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            form.fail(apiError)
            return try await shortCodeForm(form, scope: scope, status: apiError.status)
        }
    }

    /// `GET /ui/settings/credentials/{id}`: the form of `PATCH /v1/short-codes/{id}` (org_admin): the label,
    /// the till number and the default flag; a secret typed replaces the one kept, left blank keeps it.
    @Sendable func editShortCode(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .updateShortCode)
        let record = try await gateway.shortCode(try shortCodeID(context), in: scope.organization, by: scope.actor)
        guard !record.isDeleted else { throw APIError.notFound() }
        return try await shortCodeForm(Self.editForm(record), scope: scope)
    }

    /// The edit form of `record` as it is kept.
    static func editForm(_ record: ShortCodeRecord) -> ShortCodeFormView {
        var form = ShortCodeFormView(record: record)
        form.values = ["label": record.label, "till_number": record.tillNumber ?? ""]
        form.isDefault = record.isDefault
        return form
    }

    /// `POST /ui/settings/credentials/{id}`: `Gateway.updateShortCode` with what the form names.
    @Sendable func updateShortCode(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .updateShortCode)
        let id = try shortCodeID(context)
        let record = try await gateway.shortCode(id, in: scope.organization, by: scope.actor)
        let fields = try await settingsForm(request, context: context, scope: scope)
        var form = ShortCodeFormView(record: record)
        form.read(fields)
        do {
            _ = try await gateway.updateShortCode(
                id, form.input(fields, creating: false), in: scope.organization, by: scope.actor)
            return DashboardPages.redirect(to: scope.link("/ui/settings/credentials", done: "saved"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            form.fail(apiError)
            return try await shortCodeForm(form, scope: scope, status: apiError.status)
        }
    }

    /// `POST /ui/settings/credentials/{id}/verify`: the check of `POST /v1/short-codes/{id}/verify` (a Daraja
    /// OAuth token fetched with the profile's keys, no money moved); the list shows its result.
    @Sendable func verifyShortCode(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .verifyShortCode)
        let id = try shortCodeID(context)
        _ = try await settingsForm(request, context: context, scope: scope)
        do {
            let check = try await gateway.verifyShortCode(id, in: scope.organization, by: scope.actor)
            return try await shortCodeList(
                scope, notice: check.ok ? "Daraja accepted the keys." : nil,
                error: check.ok ? nil : "Daraja refused the keys: " + (check.error ?? "no reason given"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            return try await shortCodeList(
                scope, error: "The keys could not be checked: " + apiError.message, status: apiError.status)
        }
    }

    /// `POST /ui/settings/credentials/{id}/delete`: `DELETE /v1/short-codes/{id}` once the box confirming it is
    /// ticked (the form says so without it). A second submit finds it deleted and says so.
    @Sendable func deleteShortCode(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let scope = try await settingsScope(request, context: context, action: .deleteShortCode)
        let id = try shortCodeID(context)
        let fields = try await settingsForm(request, context: context, scope: scope)
        guard fields["confirm"] == "yes" else {
            return try await shortCodeList(
                scope, error: "Tick the box beside Delete to confirm.", status: .unprocessableContent)
        }
        do {
            try await gateway.deleteShortCode(id, in: scope.organization, by: scope.actor)
            return DashboardPages.redirect(to: scope.link("/ui/settings/credentials", done: "deleted"))
        } catch {
            guard let apiError = Self.formError(error) else { throw error }
            return try await shortCodeList(scope, error: apiError.message, status: apiError.status)
        }
    }

    func shortCodeID(_ context: PesaRequestContext) throws -> ShortCodeID {
        guard let text = context.parameters.get("id"), let id = try? ShortCodeID(parsing: text) else {
            throw APIError.notFound()
        }
        return id
    }

    /// The short code's form; an edited paybill or till also gets the C2B registration form (with
    /// `registration`, its last answer) when the role may register.
    func shortCodeForm(
        _ form: ShortCodeFormView, scope: DashboardScope, registration: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var form = form
        form.idempotencyKey = DashboardSessions.randomToken()
        let title = form.record.map { "Short code \($0.shortCode)" } ?? "Add a short code"
        var values = form.context
        let principal = scope.page.identity.principal
        if let record = form.record, record.kind != .b2c,
            principal.authorize(.registerC2BURLs, in: scope.organization) == .allowed
        {
            values["c2b"] = Self.registrationValues(registration)
        }
        return try await settingsPage(
            scope, title: title, current: "/ui/settings", template: DashboardTemplates.shortCodeForm,
            values: values, status: status)
    }
}
