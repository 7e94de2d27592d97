public import Hummingbird
import HTTPTypes
public import Metrics
import PesaCore
import Synchronization

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
    /// The metric objects already made, by their labels: making one asks the registry (a lock, label
    /// validation, allocations), so each request reuses them. Bounded by routes x methods x statuses and
    /// tenants x 5 status classes.
    private let instruments = Instruments()

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let route = RouteKey(
            route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: response.status.code)
        let (counter, timer) = instruments.route(route) {
            let dimensions = [("route", route.route), ("method", route.method), ("status", String(route.status))]
            return (
                Counter(label: Self.requestsCounterName, dimensions: dimensions, factory: factory),
                Metrics.Timer(label: Self.durationTimerName, dimensions: dimensions, factory: factory)
            )
        }
        counter.increment()
        let (seconds, attoseconds) = elapsed.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        if let tenant = context.trace.organizationID {
            let key = TenantKey(tenant: tenant.rawValue, statusClass: response.status.code / 100)
            instruments.tenant(key) {
                let dimensions = [("tenant", key.tenant), ("class", "\(key.statusClass)xx")]
                return Counter(label: Self.tenantRequestsCounterName, dimensions: dimensions, factory: factory)
            }.increment()
        }
        return response
    }

    struct RouteKey: Hashable, Sendable {
        let route: String
        let method: String
        let status: Int
    }

    struct TenantKey: Hashable, Sendable {
        let tenant: String
        let statusClass: Int
    }

    final class Instruments: Sendable {
        let routes = Table<RouteKey, (Counter, Metrics.Timer)>()
        let tenants = Table<TenantKey, Counter>()

        func route(_ key: RouteKey, make: () -> (Counter, Metrics.Timer)) -> (Counter, Metrics.Timer) {
            routes.value(for: key, make: make)
        }

        func tenant(_ key: TenantKey, make: () -> Counter) -> Counter {
            tenants.value(for: key, make: make)
        }
    }

    /// Values made once per key; the first one made wins if two requests race.
    final class Table<Key: Hashable & Sendable, Value: Sendable>: Sendable {
        private let values = Mutex<[Key: Value]>([:])

        func value(for key: Key, make: () -> Value) -> Value {
            if let known = values.withLock({ $0[key] }) { return known }
            let made = make()
            return values.withLock { values in
                if let known = values[key] { return known }
                values[key] = made
                return made
            }
        }
    }
}
