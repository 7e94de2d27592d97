import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PesaAPI
import PesaCore
import PesaEngine
import PesaStore
import PesaTesting
import Prometheus
import Synchronization
import Testing

/// `GET /readyz` over a real gateway on a simulated disk: 200 only while the data folder takes a durable write
/// and no organization is fenced; 503 saying why otherwise; the write probe is reused for a second at most.
@Suite struct ReadinessTests {
    final class StepClock: WallClock {
        private let now = Mutex<Int64>(1_764_331_200_000)
        func nowMs() -> Int64 { now.withLock { $0 } }
        func advance(byMs ms: Int64) { now.withLock { $0 += ms } }
    }

    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let root = Actor(
        principal: try! Principal(role: .superAdmin, organizationID: nil), id: "usr_root", requestID: "req_t")

    static func start(io: SimulatedFileIO, key: MasterKey, clock: StepClock) async throws -> Gateway {
        try await Gateway.start(data: DataDirectory(root: "/data", io: io), masterKey: key, clock: clock, logger: quiet)
    }

    static func readyz(_ gateway: Gateway) async throws -> (status: Int, code: String?, message: String?) {
        let api = await GatewayAPI.make(gateway: gateway, metricsRegistry: PrometheusCollectorRegistry(), bcryptCost: 4)
        let app = Application(router: api.buildRouter(), logger: quiet)
        return try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                guard response.status != .ok else { return (200, nil, nil) }
                let error = try ErrorBody.decode(response)
                return (Int(response.status.code), error.code, error.message)
            }
        }
    }

    @Test(arguments: [(Int32(28), "is full"), (Int32(30), "is read-only")])
    func aDiskThatRefusesWritesIsNotReadyUntilItTakesThemAgain(refusal: Int32, words: String) async throws {
        let io = SimulatedFileIO(seed: 5)
        let clock = StepClock()
        let gateway = try await Self.start(io: io, key: .generate(), clock: clock)
        #expect(try await Self.readyz(gateway).status == 200)
        #expect(!io.allFiles().keys.contains("/data/\(DataDirectory.probeFileName)"))

        io.inject(SimulatedFileIO.Fault(.create, errno: refusal))
        io.inject(SimulatedFileIO.Fault(.append, errno: refusal))
        // The probe of a second ago is still trusted; a new one finds the disk refusing writes.
        #expect(try await Self.readyz(gateway).status == 200)
        clock.advance(byMs: Limits.readinessProbeCacheMs)
        let refused = try await Self.readyz(gateway)
        #expect(refused.status == 503)
        #expect(refused.code == "STORAGE_UNAVAILABLE")
        #expect(refused.message?.contains("/data \(words)") == true)
        #expect(refused.message?.contains(DataDirectory.probeFileName) == true)

        io.clearFaults()
        #expect(try await Self.readyz(gateway).status == 503)
        clock.advance(byMs: Limits.readinessProbeCacheMs)
        #expect(try await Self.readyz(gateway).status == 200)
        await gateway.close()
    }

    @Test func aFencedOrganizationMakesTheInstanceNotReadyAndIsNamed() async throws {
        let io = SimulatedFileIO(seed: 6)
        let key = MasterKey.generate()
        let first = try await Self.start(io: io, key: key, clock: StepClock())
        let acme = try await first.createOrganization(name: "Acme", slug: "acme", plan: "starter", by: Self.root).record
            .id
        _ = try await first.createOrganization(name: "Globex", slug: "globex", plan: "starter", by: Self.root)
        await first.close()
        io.corrupt(path: "/data/tenants/\(acme.rawValue)/journal/00000000000000000001.jsonl", offset: 30, with: 0x39)

        let gateway = try await Self.start(io: io, key: key, clock: StepClock())
        #expect(try await Self.readyz(gateway).status == 200)  // not opened yet: nothing is known to be wrong
        await #expect(throws: EngineError.self) { try await gateway.organization(acme, by: Self.root) }
        let refused = try await Self.readyz(gateway)
        #expect(refused.status == 503)
        #expect(refused.code == "TENANT_UNAVAILABLE")
        #expect(refused.message?.contains(acme.rawValue) == true)
        await gateway.close()
    }
}
