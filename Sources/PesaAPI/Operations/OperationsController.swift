import Hummingbird
import PesaCore
import HTTPTypes
import Foundation
import NIOCore
import Prometheus
import Synchronization
import PesaEngine

/// `GET /healthz`, `GET /readyz` (200 only when the data folder takes a durable write and no tenant is fenced;
/// else 503 saying why), `GET /metrics` and `GET /openapi.json`. Metrics are not public: they need a
/// super_admin JWT or the operator's metrics token (see `Authenticator`); 401 without credentials, 403 for
/// another role.
public struct OperationsController: Sendable {
    let readiness: @Sendable () async -> Readiness
    let registry: PrometheusCollectorRegistry
    let openAPI: OpenAPIBox

    /// Filled in once every route is registered (the document lists them all, itself included).
    final class OpenAPIBox: Sendable {
        let bytes = Mutex<Data>(Data())
    }

    init(readiness: @escaping @Sendable () async -> Readiness, registry: PrometheusCollectorRegistry) {
        self.readiness = readiness
        self.registry = registry
        self.openAPI = OpenAPIBox()
    }

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.healthSpec, use: health)
        routes.add(Self.readinessSpec, use: ready)
        routes.add(Self.metricsSpec, use: metrics)
        routes.add(Self.openAPISpec, use: openAPIDocument)
    }

    @Sendable func health(_ request: Request, context: PesaRequestContext) async throws -> Response {
        Self.json(#"{"status":"ok"}"#)
    }

    @Sendable func ready(_ request: Request, context: PesaRequestContext) async throws -> Response {
        switch await readiness() {
        case .ready: return Self.json(#"{"status":"ready"}"#)
        case .storageUnavailable(let reason): throw APIError(.storageUnavailable, "not ready: \(reason)")
        case .tenantsFenced(let reason): throw APIError(.tenantUnavailable, "not ready: \(reason)")
        }
    }

    @Sendable func metrics(_ request: Request, context: PesaRequestContext) async throws -> Response {
        if !context.presentedMetricsToken {
            guard let identity = context.identity else { throw APIError.unauthenticated() }
            guard identity.role == .superAdmin else { throw APIError.forbidden() }
        }
        let bytes = registry.emitToBuffer()
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable func openAPIDocument(_ request: Request, context: PesaRequestContext) async throws -> Response {
        return Response.json(openAPI.bytes.withLock { $0 })
    }

    static func json(_ text: String) -> Response { Response.json(Array(text.utf8)) }
}
