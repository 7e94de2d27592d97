import Foundation
import Logging
import PesaAPI
import PesaCLI
import PesaCore
import PesaEngine

/// Start-up chores of `pesa serve`: logging, the first super admin, the demo organization, the banner.
enum ServeBootstrap {
    static func bootstrapLogging(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StandardErrorLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "pesa")
        logger.logLevel = level
        return logger
    }

    /// The instance-wide actor of start-up chores.
    static let systemActor = Actor(
        principal: (try? Principal(role: .superAdmin, organizationID: nil)) ?? fallbackPrincipal(), id: "system",
        requestID: "startup")

    private static func fallbackPrincipal() -> Principal {
        preconditionFailure("a super_admin principal needs no organization")
    }

    /// First start with PESA_ADMIN_EMAIL and PESA_ADMIN_PASSWORD creates that super admin.
    static func createFirstAdmin(gateway: Gateway, api: GatewayAPI, environment: [String: String], logger: Logger)
        async throws
    {
        guard await gateway.superAdminCount == 0 else { return }
        guard let email = environment["PESA_ADMIN_EMAIL"], let password = environment["PESA_ADMIN_PASSWORD"] else {
            logger.notice(
                """
                no super admin yet: start once with PESA_ADMIN_EMAIL and PESA_ADMIN_PASSWORD set, or run \
                `pesa admin create --email E`
                """
            )
            return
        }
        guard password.utf8.count >= 10 else {
            throw CLIError("PESA_ADMIN_PASSWORD must be at least 10 characters")
        }
        let user = try await gateway.createSuperAdmin(
            email: email, passwordHash: try await api.passwordHasher.hash(password))
        logger.notice("super admin created", metadata: ["email": "\(user.email)"])
    }

    static func announce(gateway: Gateway, api: GatewayAPI, baseURL: String, demo: Bool, logger: Logger) async {
        var lines = [
            "", "Pesa Gateway is running at \(baseURL)",
            "  API reference: \(baseURL)/openapi.json    health: \(baseURL)/healthz",
        ]
        if demo {
            do {
                lines += try await DemoOrganization.prepare(gateway: gateway, api: api, baseURL: baseURL)
            } catch {
                logger.error("demo organization not prepared", metadata: ["error": "\(error)"])
            }
        }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n\n").utf8))
    }
}

/// `pesa serve --demo`: an organization "demo" with a login, sandbox credentials and an API key.
enum DemoOrganization {
    static let slug = "demo"
    static let email = "demo@pesa.local"

    static func prepare(gateway: Gateway, api: GatewayAPI, baseURL: String) async throws -> [String] {
        let actor = ServeBootstrap.systemActor
        let organization: OrganizationID
        if let listing = gateway.registry.listing(slug: slug), let id = try? OrganizationID(parsing: listing.id) {
            organization = id
        } else {
            organization = try await gateway.createOrganization(
                name: "Demo Shop", slug: slug, plan: "starter", by: actor
            ).record.id
        }
        let password = "demo-" + randomText(12)
        let hash = try await api.passwordHasher.hash(password)
        if let existing = try await gateway.users(in: organization, by: actor).first(where: { $0.email == email }) {
            _ = try await gateway.updateUser(existing.id, in: organization, UserChanges(passwordHash: hash), by: actor)
        } else {
            _ = try await gateway.createUser(
                in: organization, email: email, passwordHash: hash, role: .orgAdmin, by: actor)
        }
        var credentials = MpesaCredentialsInput()
        credentials.environment = "sandbox"
        credentials.consumerKey = "demo-consumer-key"
        credentials.consumerSecret = "demo-consumer-secret"
        credentials.businessShortCode = "174379"
        credentials.passkey = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
        credentials.initiatorName = "testapi"
        credentials.initiatorPassword = "Safaricom999!*!"
        _ = try await gateway.putCredentials(credentials, in: organization, by: actor)
        let key = APIKey.generate(environment: .sandbox)
        _ = try await gateway.createAPIKey(
            in: organization, name: "demo key", role: .manager, environment: "sandbox", keyHash: key.hash,
            keyHint: key.hint,
            by: actor)
        return [
            "",
            "Demo organization \"\(slug)\" (\(organization.rawValue)), talking to the embedded Daraja sandbox:",
            "  log in:   email \(email)   password \(password)",
            "            curl -s \(baseURL)/v1/auth/login -H 'content-type: application/json' \\",
            "                 -d '{\"email\":\"\(email)\",\"password\":\"\(password)\"}'",
            "  API key:  \(key.secret)   (manager; shown once)",
            "  STK push: curl -s \(baseURL)/v1/payments/stk-push -H 'authorization: Bearer \(key.secret)' \\",
            "                 -H 'content-type: application/json' \\",
            "                 -d '{\"phone\":\"0708374149\",\"amount\":10,\"account_reference\":\"INV-1\","
                + "\"description\":\"Demo\"}'",
            "  then:     curl -s \(baseURL)/v1/transactions -H 'authorization: Bearer \(key.secret)'",
        ]
    }

    static func randomText(_ count: Int) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
