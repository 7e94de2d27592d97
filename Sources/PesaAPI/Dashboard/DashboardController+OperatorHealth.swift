import Foundation
import HTTPTypes
import Hummingbird
import PesaCore
import PesaEngine

extension DashboardController {
    /// `GET /ui/admin/health`: what the gateway reports of itself, to a super admin (as `GET /metrics`): the
    /// readiness check of `GET /readyz` (`Gateway.readiness`: the data folder takes a durable write, the
    /// instance's folder is open, no organization fenced), the organizations the instance knows, the journals open
    /// now, each fenced organization with why, and the API's version (that of `GET /openapi.json`).
    @Sendable func operatorHealth(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let page = try await signedIn(request, context: context)
        guard page.identity.role == .superAdmin else { throw APIError.forbidden() }
        let scope = OperatorScope(page: page, actor: page.identity.actor(requestID: context.requestID))
        let readiness = await gateway.readiness()
        let registry = gateway.registry
        let fenced = registry.fencedTenants
        var values: [String: Any] = [
            "ready": readiness == .ready, "not_ready": false, "version": apiVersion,
            "organizations": String(registry.listings.count), "loaded": String(registry.loadedTenantIDs.count),
            "fenced_count": String(fenced.count), "fenced_shown": !fenced.isEmpty,
            "fenced": fenced.map { tenant in
                ["id": tenant.id, "name": registry.listing(id: tenant.id)?.name ?? "", "reason": tenant.reason]
            },
            "checked": DashboardFormat.kenyaTime(ms: gateway.wallClockMs),
        ]
        switch readiness {
        case .ready: break
        case .storageUnavailable(let reason):
            values["not_ready"] = reason
            values["not_ready_kind"] = "storage"
        case .tenantsFenced(let reason):
            values["not_ready"] = reason
            values["not_ready_kind"] = "fenced organizations"
        }
        return operatorPage(
            scope, title: "Health", current: "/ui/admin/health", template: DashboardTemplates.operatorHealth,
            values: values)
    }
}
