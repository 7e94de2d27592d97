import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// The page that asks to confirm a money form before anything is sent, in the organization's layout with
    /// `current` marked in the menu.
    func moneyConfirmation(
        _ view: MoneyConfirmationView, page: DashboardPage, organization: OrganizationID, current: String
    ) async throws -> Response {
        var view = view
        view.csrfToken = page.session.csrfToken
        let name = try await gateway.engine(organization).accessView.organization?.name
        return DashboardPages.page(
            title: view.title,
            layout: DashboardLayout(organizationName: name, page: page, currentPath: current),
            template: DashboardTemplates.moneyConfirmation, context: view.context)
    }
}

/// What a money form would send, in words, with the environment it leaves from marked, and the form's values in
/// hidden fields with its idempotency key: Confirm posts them with `confirm=yes`, Edit with `confirm=edit`.
struct MoneyConfirmationView {
    let title: String
    /// Where the form posts, without `?org=`.
    let action: String
    let question: String
    let environment: String
    let details: [(String, String)]
    let hidden: [(String, String)]
    let idempotencyKey: String
    let org: String?
    var csrfToken = ""

    /// The confirmation of `form`, `names` the fields it carries.
    init<Form: DashboardSentMoneyForm>(
        _ form: Form, names: [String], title: String, action: String, preview: MoneyPreview, question: String,
        details: [(String, String)]
    ) {
        self.title = title
        self.action = action
        self.question = question
        self.environment = preview.environment
        self.details = details.filter { !$0.1.isEmpty }
        self.hidden = names.map { ($0, form.values[$0] ?? "") }
        self.idempotencyKey = form.idempotencyKey
        self.org = form.org
    }

    var context: [String: Any] {
        [
            "title": title, "action": action, "question": question, "environment": environment,
            "environment_label": environment == "production"
                ? "PRODUCTION: real money leaves the business and cannot be called back."
                : "SANDBOX: test money only.",
            "details": details.map { ["label": $0.0, "value": $0.1] },
            "hidden": hidden.map { ["name": $0.0, "value": $0.1] },
            "csrf_token": csrfToken, "idempotency_key": idempotencyKey, "org": DashboardPages.section(org),
        ]
    }
}
