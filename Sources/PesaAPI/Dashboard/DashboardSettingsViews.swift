import Foundation
import PesaCore
import PesaEngine

/// The short code form's values as typed, their errors, and the profile it edits (nil: a new one). The fields
/// kept in the vault (keys, passkey, initiator) are never written back into a page: a form shown again asks
/// for them again.
struct ShortCodeFormView {
    struct Field {
        let name: String
        let label: String
    }

    static let vaultFields = [
        Field(name: "consumer_key", label: "Consumer key"), Field(name: "consumer_secret", label: "Consumer secret"),
        Field(name: "passkey", label: "Passkey (paybill and till)"),
        Field(name: "initiator_name", label: "Initiator name (B2C)"),
        Field(name: "initiator_password", label: "Initiator password (B2C)"),
    ]
    static let plainFields = [
        Field(name: "label", label: "Label"), Field(name: "short_code", label: "Short code"),
        Field(name: "till_number", label: "Till number (a till only)"),
    ]
    static let fieldNames =
        ["label", "environment", "short_code", "kind", "till_number", "default"] + vaultFields.map(\.name)

    let record: ShortCodeRecord?
    var values: [String: String] = [:]
    var isDefault = false
    var errors: [String: String] = [:]
    var error: String?
    var idempotencyKey = ""

    init(record: ShortCodeRecord?) {
        self.record = record
    }

    /// Keeps what was typed, secrets excepted.
    mutating func read(_ fields: [String: String]) {
        for name in ["label", "environment", "short_code", "kind", "till_number"] {
            values[name] = fields[name]?.trimmingCharacters(in: .whitespaces)
        }
        isDefault = fields["default"] != nil
    }

    /// The input of the use case: a new profile names every field typed; an edit names what it may change
    /// (a blank secret keeps the one kept).
    func input(_ fields: [String: String], creating: Bool) -> ShortCodeInput {
        let given = { (name: String) -> String? in
            fields[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        var input = ShortCodeInput()
        input.label = given("label")
        input.tillNumber = given("till_number")
        input.consumerKey = given("consumer_key")
        input.consumerSecret = given("consumer_secret")
        input.passkey = given("passkey")
        input.initiatorName = given("initiator_name")
        input.initiatorPassword = given("initiator_password")
        if creating {
            input.environment = given("environment")
            input.shortCode = given("short_code")
            input.kind = given("kind")
            input.isDefault = isDefault ? true : nil
        } else {
            input.isDefault = isDefault
        }
        return input
    }

    /// The API's message next to the field it names; "missing required fields: a, b" marks each field named.
    mutating func fail(_ apiError: APIError) {
        let prefix = "missing required fields: "
        if apiError.message.hasPrefix(prefix) {
            for name in apiError.message.dropFirst(prefix.count).split(separator: ",") {
                errors[name.trimmingCharacters(in: .whitespaces)] = "Required for this kind of short code."
            }
        } else if let param = apiError.param, Self.fieldNames.contains(param) {
            errors[param] = apiError.message
        } else {
            error = apiError.message
        }
    }

    var context: [String: Any] {
        let choice = { (name: String, options: [String]) -> [[String: Any]] in
            options.map { ["value": $0, "selected": values[name] == $0] as [String: Any] }
        }
        let plain = Self.plainFields.filter { record == nil || $0.name != "short_code" }.map { field in
            [
                "name": field.name, "label": field.label, "value": values[field.name] ?? "",
                "error": DashboardPages.section(errors[field.name]),
            ] as [String: Any]
        }
        let vault = Self.vaultFields.map { field in
            let hint = record?.hints[field.name].map { "Now \($0); leave blank to keep it." }
            return [
                "name": field.name, "label": field.label, "hint": DashboardPages.section(hint),
                "error": DashboardPages.section(errors[field.name]),
            ] as [String: Any]
        }
        return [
            "editing": record != nil, "id": record?.id.rawValue ?? "",
            "fixed": record.map { "\($0.shortCode) · \($0.kind.rawValue) · \($0.environment)" } ?? "",
            "environments": choice("environment", ["sandbox", "production"]),
            "kinds": choice("kind", ["paybill", "till", "b2c"]),
            "environment_error": DashboardPages.section(errors["environment"]),
            "kind_error": DashboardPages.section(errors["kind"]),
            "plain": plain, "vault": vault, "default": isDefault,
            "error": DashboardPages.section(error), "idempotency_key": idempotencyKey,
            "retype": error != nil || !errors.isEmpty,
        ]
    }
}
