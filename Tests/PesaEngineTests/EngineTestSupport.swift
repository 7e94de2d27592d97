import Logging
import PesaCore
import PesaStore
import PesaTesting

@testable import PesaEngine

/// A gateway on a simulated disk, with a super admin actor.
struct EngineHarness {
    let io: SimulatedFileIO
    let gateway: Gateway
    let key: MasterKey

    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func start(
        io: SimulatedFileIO = SimulatedFileIO(seed: 1), key: MasterKey = .generate(), snapshotEvery: UInt64 = 50_000,
        clock: any WallClock = FixedClock()
    ) async throws -> EngineHarness {
        let gateway = try await Gateway.start(
            data: DataDirectory(root: "/data", io: io), masterKey: key, clock: clock,
            snapshotTailEventsMax: snapshotEvery, logger: quiet)
        return EngineHarness(io: io, gateway: gateway, key: key)
    }

    /// The same disk after a clean stop, opened again.
    func restarted(clock: any WallClock = FixedClock()) async throws -> EngineHarness {
        await gateway.close()
        io.reboot()
        return try await Self.start(io: io, key: key, clock: clock)
    }

    static let superAdmin = Actor(
        principal: try! Principal(role: .superAdmin, organizationID: nil), id: "usr_admin", requestID: "req_test")

    static func member(_ role: Role, of organization: OrganizationID) -> Actor {
        Actor(
            principal: try! Principal(role: role, organizationID: organization), id: "usr_member", requestID: "req_test"
        )
    }

    func makeOrganization(_ slug: String) async throws -> OrganizationID {
        try await gateway.createOrganization(name: slug.uppercased(), slug: slug, plan: "starter", by: Self.superAdmin)
            .record.id
    }
}

struct FixedClock: WallClock {
    func nowMs() -> Int64 { 1_764_331_200_000 }
}
