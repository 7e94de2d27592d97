public import Hummingbird
import HTTPTypes
public import Metrics
import PesaCore

/// Counts answers by route template, method and status (`pesa_http_requests_total`) and records their
/// latency (`pesa_http_request_duration_seconds`), in the metrics factory it is given (the Prometheus
/// registry that `GET /metrics` renders). Sits outside `ErrorMiddleware`, so errors are counted with their
/// final status; unknown routes are counted under the single route `NotFound` (bounded label values).
/// Authenticated requests are also counted per organization (`pesa_tenant_http_requests_total{tenant,class}`,
/// class `2xx`...`5xx`), so one tenant's traffic and errors can be watched.
public struct HTTPMetricsMiddleware: RouterMiddleware {
    public typealias Context = PesaRequestContext

    public static let requestsCounterName = "pesa_http_requests_total"
    public static let durationTimerName = "pesa_http_request_duration_seconds"
    public static let tenantRequestsCounterName = "pesa_tenant_http_requests_total"

    let factory: any MetricsFactory

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let dimensions = [
            ("route", context.endpointPath ?? "NotFound"),
            ("method", request.method.rawValue),
            ("status", String(response.status.code)),
        ]
        Counter(label: Self.requestsCounterName, dimensions: dimensions, factory: factory).increment()
        let elapsed = ContinuousClock.now - start
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        Metrics.Timer(label: Self.durationTimerName, dimensions: dimensions, factory: factory)
            .recordNanoseconds(nanoseconds)
        if let tenant = context.trace.organizationID {
            let tenantDimensions = [("tenant", tenant.rawValue), ("class", "\(response.status.code / 100)xx")]
            Counter(label: Self.tenantRequestsCounterName, dimensions: tenantDimensions, factory: factory).increment()
        }
        return response
    }
}
