import Logging
import PesaAPI
import PesaCore
import PesaEngine
import PesaStore
import PesaTesting
import Prometheus
import Testing

/// The permission matrix promises no more than the API serves: every `Action` is the action of a registered
/// route, except the ones listed here with what they wait for. An exception that gets a route fails the test,
/// so the list shrinks as features land.
@Suite struct ActionRoutesTests {
    /// Actions of features not built yet, each with the feature's name.
    static let unrouted: [Action: String] = [:]

    /// Actions checked inside another route's handler, never a route of their own.
    static let checkedWithin: [Action: String] = [
        // PATCH /v1/orgs/{id} of `plan`, `status`, `subscription_status` or `rate_limit`.
        .updateOrganizationBilling: "PATCH /v1/orgs/{id}"
    ]

    /// Every route the gateway registers, operational routes included.
    static func registeredSpecs() async throws -> [RouteSpec] {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let gateway = try await Gateway.start(
            data: DataDirectory(root: "/data", io: SimulatedFileIO(seed: 5)), masterKey: .generate(), logger: logger)
        let api = await GatewayAPI.make(gateway: gateway, metricsRegistry: PrometheusCollectorRegistry(), bcryptCost: 4)
        var specs: [RouteSpec] = []
        _ = PesaAPI.buildRouter(configuration: api.configuration) { routes in
            api.addRoutes(to: routes)
            specs = routes.specs
        }
        return specs
    }

    @Test func everyActionHasARouteOrIsListed() async throws {
        let specs = try await Self.registeredSpecs()
        let routed = Set(specs.map(\.action))
        #expect(specs.count > 30)
        #expect(Set(Self.unrouted.keys).isDisjoint(with: Self.checkedWithin.keys))
        for action in Action.allCases {
            if let feature = Self.unrouted[action] {
                #expect(!routed.contains(action), "\(action) has a route now: remove it from the \(feature) exceptions")
            } else if let route = Self.checkedWithin[action] {
                #expect(!routed.contains(action), "\(action) has a route of its own, besides \(route)")
                #expect(specs.contains { $0.key == route }, "\(action) is checked within \(route), which is missing")
            } else {
                #expect(routed.contains(action), "\(action) has no route")
            }
        }
    }
}
