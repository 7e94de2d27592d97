import Foundation
import HummingbirdTesting
import PesaAPI
import PesaCore
import PesaEngine

/// What the settings, billing and audit tests share: the instance's super admin, the other organization, a
/// short code's typed values (with secrets to look for in pages), and reading a page's hidden fields.
extension DashboardWorld {
    static let consumerSecret = "SECRETconsumer9xQ7"
    static let passkey = "PASSKEYbfb279f9aa9b"

    static func root() throws -> Actor {
        Actor(principal: try Principal(role: .superAdmin, organizationID: nil), id: "usr_root", requestID: "req_t")
    }

    /// Globex, the organization the Acme users must never reach.
    func globex() async throws -> OrganizationID {
        let (views, _) = try await gateway.organizations(by: try Self.root())
        guard let globex = views.first(where: { $0.record.slug.rawValue == "globex" }) else {
            throw EngineError.notFound("globex")
        }
        return globex.record.id
    }

    /// A sandbox paybill's form fields, `number` its short code.
    static func shortCodeForm(number: String = "174379", label: String = "Main till") -> [(String, String)] {
        [
            ("environment", "sandbox"), ("kind", "paybill"), ("short_code", number), ("label", label),
            ("consumer_key", "KEYconsumer5521"), ("consumer_secret", consumerSecret), ("passkey", passkey),
        ]
    }

    /// A short code of `organization` made through the use case.
    func shortCode(in organization: OrganizationID, number: String = "600100") async throws -> ShortCodeRecord {
        var input = ShortCodeInput()
        input.environment = "sandbox"
        input.kind = "paybill"
        input.shortCode = number
        input.consumerKey = "KEYconsumer5521"
        input.consumerSecret = Self.consumerSecret
        input.passkey = Self.passkey
        return try await gateway.createShortCode(input, in: organization, by: try Self.root())
    }
}

extension DashboardWorld {
    /// A user of Acme with `role`, whose password is `password`.
    func addUser(_ email: String, role: Role) async throws {
        let hash = try await api.passwordHasher.hash(Self.password)
        _ = try await gateway.createUser(in: acme, email: email, passwordHash: hash, role: role, by: try Self.root())
    }

    /// How many entries of Acme's audit log have `action`.
    func auditCount(_ action: String) async throws -> Int {
        try await gateway.auditLog(in: acme, after: 0, limit: 1000, by: try Self.root()).entries
            .filter { $0.action == action }.count
    }
}

extension Browser {
    /// A signed-in browser of `email`.
    static func signedIn(_ email: String, client: any TestClientProtocol) async throws -> Browser {
        var browser = Browser()
        _ = try await browser.logIn(email: email, client: client)
        return browser
    }

    /// GETs the form at `uri` and POSTs `fields` with its CSRF token and idempotency key; the POST's answer.
    mutating func submit(
        _ uri: String, to action: String? = nil, fields: [(String, String)], client: any TestClientProtocol
    ) async throws -> TestResponse {
        let form = try await get(uri, client: client).html
        var all = [("csrf_token", Self.csrfToken(in: form) ?? "")]
        if let key = Self.hidden("idempotency_key", in: form) { all.append(("idempotency_key", key)) }
        return try await post(action ?? uri, form: all + fields, client: client)
    }

    /// The value of the first hidden field `name` of a page.
    static func hidden(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    /// The text of the page's one-time secret, as written in the HTML.
    static func shownSecret(in html: String) -> String? {
        guard let start = html.range(of: "<pre class=\"secret\">") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.range(of: "</pre>") else { return nil }
        return String(rest[..<end.lowerBound])
    }
}
