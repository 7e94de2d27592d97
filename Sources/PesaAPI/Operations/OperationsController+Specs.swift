import HTTPTypes
import PesaCore

extension OperationsController {
    static let statusBody = JSONSchema.object(["status": JSONSchema.string], required: ["status"])

    static let healthSpec = RouteSpec(
        .get, "/healthz", summary: "The process is up", action: .health, tag: "operations", responseBody: statusBody)

    static let readinessSpec = RouteSpec(
        .get, "/readyz",
        summary: "Storage takes a durable write (probed at most once a second) and no organization is fenced; "
            + "503 says why not (STORAGE_UNAVAILABLE: full, read-only or failing disk; TENANT_UNAVAILABLE: fenced)",
        action: .readiness, tag: "operations", responseBody: statusBody,
        errors: [.storageUnavailable, .tenantUnavailable])

    static let metricsSpec = RouteSpec(
        .get, "/metrics",
        summary: "Prometheus metrics (text exposition format): a super_admin JWT, or the PESA_METRICS_TOKEN bearer",
        action: .metrics, tag: "operations", responseBody: JSONSchema.string, responseContentType: "text/plain",
        errors: [.unauthenticated, .forbidden],
        ownSecurity: RouteSpec.OwnSecurity(schemes: ["bearer", "metricsToken"], role: .superAdmin))

    static let openAPISpec = RouteSpec(
        .get, "/openapi.json", summary: "This document", action: .openAPI, tag: "operations",
        responseBody: ["type": "object"])
}
