import Synchronization

/// Body limits of the routes that set their own (`RouteSpec.bodyBytesMax`), by `"METHOD /path/{template}"`.
/// Filled while routes are registered, read by `BodyLimitMiddleware` on every request.
final class RouteBodyLimits: Sendable {
    private let limits = Mutex<[String: Int]>([:])

    func set(_ bytesMax: Int, forRoute route: String) {
        limits.withLock { $0[route] = bytesMax }
    }

    func bytesMax(forRoute route: String) -> Int? {
        limits.withLock { $0[route] }
    }
}
