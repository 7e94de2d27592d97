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

    /// The banner. `baseURL` is where the gateway listens (what the demo's commands call).
    static func announce(
        gateway: Gateway, api: GatewayAPI, baseURL: String, demo: Bool, newDemoKey: Bool, logger: Logger
    ) async {
        var lines = [
            "", "Pesa Gateway is running at \(baseURL)",
            "  dashboard: \(baseURL)/ui/    API reference: \(baseURL)/openapi.json    health: \(baseURL)/healthz",
        ]
        if demo {
            do {
                lines += try await DemoOrganization.prepare(
                    gateway: gateway, api: api, baseURL: baseURL, newKey: newDemoKey)
            } catch {
                logger.error("demo organization not prepared", metadata: ["error": "\(error)"])
            }
        }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n\n").utf8))
    }
}
