import PesaAPI
import PesaCLI
import PesaCore
import PesaEngine

/// `pesa serve --demo`: an organization "demo" with an org_admin login, sandbox credentials and a manager API key,
/// plus a super admin login when the instance has none. Every start on the same data folder prints the same
/// login and key: both are derived from the master key (`Gateway.derivedText`), so neither is written anywhere
/// in clear, and nothing piles up. `--new-demo-key` revokes the demo's key and derives the next one.
enum DemoOrganization {
    static let slug = "demo"
    static let email = "demo@pesa.local"
    static let superAdminEmail = "admin@pesa.local"
    static let keyName = "demo key"
    static let passwordAlphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
    static let keyAlphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// Prepares the demo (creating only what is missing) and returns the banner's lines, with `baseURL` (where
    /// the gateway listens) in every command.
    static func prepare(gateway: Gateway, api: GatewayAPI, baseURL: String, newKey: Bool) async throws -> [String] {
        let actor = ServeBootstrap.systemActor
        let superAdmin = try await superAdminLines(gateway: gateway, api: api)
        let organization: OrganizationID
        if let listing = gateway.registry.listing(slug: slug), let id = try? OrganizationID(parsing: listing.id) {
            organization = id
        } else {
            organization = try await gateway.createOrganization(
                name: "Demo Shop", slug: slug, plan: "starter", by: actor
            ).record.id
        }
        let password = try await login(in: organization, gateway: gateway, api: api)
        if (try? await gateway.hasShortCodes(organization)) != true {
            _ = try await gateway.putCredentials(sandboxCredentials, in: organization, by: actor)
        }
        // The demo's sandbox short code collects the instance's invoice payments, unless an operator is set.
        if let settings = try? await gateway.invoicePrintSettings(), settings.operatorOrganizationID == nil {
            var changes = BillingSettingsChanges()
            changes.operatorOrganizationID = organization
            changes.operatorName = "Demo Gateway Operator"
            _ = try await gateway.updateBillingSettings(changes, by: actor)
        }
        let (key, keyNote) = try await apiKey(in: organization, gateway: gateway, newKey: newKey)
        let loginLine = password.map { "password \($0)" } ?? "password (changed since the demo set it: not shown)"
        return [
            "",
            "Demo organization \"\(slug)\" (\(organization.rawValue)), talking to the embedded Daraja sandbox:",
            "  log in:      email \(email)   \(loginLine)   (org_admin)",
        ] + superAdmin + [
            "  API key:     \(key)   (manager; \(keyNote))",
            "",
            "  export PESA=\(baseURL) KEY=\(key)    # what README's commands use",
        ] + commands(baseURL: baseURL, key: key, password: password, month: KenyaTime.monthKey(ms: gateway.wallClockMs))
    }

    /// A super admin `admin@pesa.local` with a random password shown only now, when the instance has none.
    static func superAdminLines(gateway: Gateway, api: GatewayAPI) async throws -> [String] {
        if await gateway.superAdminCount == 0 {
            let password = "admin-" + randomText(16)
            _ = try await gateway.createSuperAdmin(
                email: superAdminEmail, passwordHash: try await api.passwordHasher.hash(password))
            return [
                "  super admin: email \(superAdminEmail)   password \(password)",
                "               (shown this once: write it down; it creates organizations, reads usage, and names",
                "               an organization with ?org=org_… on organization routes)",
            ]
        }
        let emails = (try? await gateway.system.read { state in state.users.values.map(\.email) }) ?? []
        guard emails.contains(superAdminEmail) else { return [] }
        return ["  super admin: email \(superAdminEmail)   (its password was shown at the first --demo start)"]
    }

    /// The demo login's password, derived from the master key; created when missing. nil when someone changed
    /// it since (it is kept, and not shown).
    static func login(in organization: OrganizationID, gateway: Gateway, api: GatewayAPI) async throws -> String? {
        let password = "demo-" + gateway.derivedText(
            purpose: "demo-login", context: email, alphabet: passwordAlphabet, count: 12)
        let actor = ServeBootstrap.systemActor
        if let existing = try await gateway.users(in: organization, by: actor).first(where: { $0.email == email }) {
            return try await api.passwordHasher.verify(password, against: existing.passwordHash) ? password : nil
        }
        let hash = try await api.passwordHasher.hash(password)
        _ = try await gateway.createUser(in: organization, email: email, passwordHash: hash, role: .orgAdmin, by: actor)
        return password
    }

    /// The demo's API key: generation N is derived from the master key and N, so the live one is printed again
    /// at each start; with `newKey` (or when it was revoked) the live demo keys are revoked and the next made.
    static func apiKey(in organization: OrganizationID, gateway: Gateway, newKey: Bool) async throws
        -> (secret: String, note: String)
    {
        let actor = ServeBootstrap.systemActor
        let demoKeys = try await gateway.apiKeys(in: organization, by: actor).filter { $0.name == keyName }
        let derived = { (generation: Int) -> APIKey? in
            APIKey(secret: APIKey.Environment.sandbox.prefix + gateway.derivedText(
                purpose: "demo-api-key", context: "\(organization.rawValue)/\(generation)", alphabet: keyAlphabet,
                count: Limits.apiKeyRandomCharactersCount))
        }
        if !newKey {
            for (generation, record) in demoKeys.enumerated() where !record.isRevoked {
                if let key = derived(generation), key.hash == record.keyHash {
                    return (key.secret, "the same at every --demo start; --new-demo-key revokes it and makes another")
                }
            }
        }
        for record in demoKeys where !record.isRevoked {
            try await gateway.revokeAPIKey(record.id, in: organization, by: actor)
        }
        guard let key = derived(demoKeys.count) else { throw CLIError("a derived demo API key is not well formed") }
        _ = try await gateway.createAPIKey(
            in: organization, name: keyName, role: .manager, environment: "sandbox", keyHash: key.hash,
            keyHint: key.hint, by: actor)
        let revoked = demoKeys.contains { !$0.isRevoked } ? "; the previous demo key is revoked" : ""
        return (key.secret, "new\(revoked); every --demo start prints it until --new-demo-key replaces it")
    }

    /// Every command of README's "A minute with the demo", with the real base URL and key.
    static func commands(baseURL: String, key: String, password: String?, month: String) -> [String] {
        let auth = "-H 'authorization: Bearer \(key)'"
        let json = "-H 'content-type: application/json'"
        var lines: [String] = []
        if let password {
            lines += [
                "  curl -s \(baseURL)/v1/auth/login \(json) \\",
                "       -d '{\"email\":\"\(email)\",\"password\":\"\(password)\"}'",
            ]
        }
        return lines + [
            "  curl -s \(baseURL)/v1/payments/stk-push \(auth) \(json) \\",
            "       -d '{\"phone\":\"0708374149\",\"amount\":10,\"account_reference\":\"INV-1\","
                + "\"description\":\"Demo\"}'",
            "  curl -s \(baseURL)/v1/transactions \(auth)    # succeeded once the sandbox calls back",
            "  curl -s \(baseURL)/v1/payouts \(auth) \(json) \\",
            "       -d '{\"phone\":\"0708374149\",\"amount\":100,\"command\":\"business_payment\","
                + "\"remarks\":\"Refund\"}'",
            "  curl -s -X POST \(baseURL)/v1/balance-checks \(auth)    # then: curl -s \(baseURL)/v1/balance \(auth)",
            "  curl -s \(baseURL)/v1/c2b/simulate \(auth) \(json) \\",
            "       -d '{\"amount\":50,\"phone\":\"0708374149\",\"account_reference\":\"INV-2\"}'"
                + "    # a customer pays you",
            "  # billing, with the super admin's token as $ROOT and the org_admin's as $ADMIN (from /v1/auth/login);",
            "  # invoices of a month are final once it ended; the demo's short code collects their payment:",
            "  curl -s \(baseURL)/v1/admin/billing/runs -H \"authorization: Bearer $ROOT\" \(json) \\",
            "       -d '{\"month\":\"\(month)\"}'",
            "  curl -s \(baseURL)/v1/invoices -H \"authorization: Bearer $ADMIN\"    # then /v1/invoices/{id}.html, "
                + "POST /v1/invoices/{id}/pay {\"phone\"}",
        ]
    }

    static var sandboxCredentials: MpesaCredentialsInput {
        var credentials = MpesaCredentialsInput()
        credentials.environment = "sandbox"
        credentials.consumerKey = "demo-consumer-key"
        credentials.consumerSecret = "demo-consumer-secret"
        credentials.businessShortCode = "174379"
        credentials.passkey = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
        credentials.initiatorName = "testapi"
        credentials.initiatorPassword = "Safaricom999!*!"
        return credentials
    }

    static func randomText(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in
            passwordAlphabet[Int.random(in: 0..<passwordAlphabet.count, using: &generator)]
        })
    }
}
