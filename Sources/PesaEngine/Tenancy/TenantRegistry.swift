public import Logging
public import PesaCore
public import PesaStore
public import ServiceLifecycle
import Synchronization

/// Every organization of the instance, by id and by slug. Tenant folders are discovered at start-up
/// (manifests only) and opened on first use; idle engines are closed to bound memory; a tenant whose
/// folder fails its integrity checks is fenced (its requests get 503) while every other one carries on.
public final class TenantRegistry: Service, Sendable {
    public let data: DataDirectory
    let clock: any WallClock
    let logger: Logger
    let idleEvictionMs: Int64
    let snapshotTailEventsMax: UInt64
    private let registry = Mutex<Registry>(Registry())

    /// What the registry knows of a tenant without opening it.
    public struct Listing: Sendable, Equatable {
        public let id: String
        public let slug: String
        public let name: String
    }

    private struct Registry {
        var listings: [String: Listing] = [:]
        var idsBySlug: [String: String] = [:]
        var slots: [String: Slot] = [:]
        /// Folders under `tenants/` whose manifest could not be read at start-up, by folder name, with why.
        var unreadable: [String: String] = [:]
        var closed = false
    }

    private enum Slot {
        case loading(ResultBox<TenantEngine>)
        case ready(TenantEngine)
        /// Being unloaded: the journal is closing; the folder is opened again only once it is closed.
        case closing(ResultBox<Bool>)
        case fenced(EngineError)
    }

    public init(
        data: DataDirectory, clock: any WallClock = SystemWallClock(), idleEvictionMs: Int64 = 15 * 60 * 1000,
        snapshotTailEventsMax: UInt64 = Limits.snapshotTailEventsMax, logger: Logger
    ) {
        self.data = data
        self.snapshotTailEventsMax = snapshotTailEventsMax
        self.clock = clock
        self.idleEvictionMs = idleEvictionMs
        self.logger = logger
    }

    /// Reads every tenant folder's manifest. Unreadable folders are logged and fenced, not fatal.
    public func discover() throws(EngineError) {
        let found: [DataDirectory.DiscoveredTenant]
        do { found = try data.discoverTenants() } catch { throw EngineError.from(error) }
        registry.withLock { registry in
            for tenant in found {
                switch tenant.manifest {
                case .success(let manifest):
                    let listing = Listing(id: manifest.id, slug: manifest.slug, name: manifest.name)
                    registry.listings[manifest.id] = listing
                    registry.idsBySlug[manifest.slug] = manifest.id
                case .failure(let error):
                    registry.unreadable[Paths.fileName(of: tenant.directory)] = error.message
                    logger.error(
                        "tenant folder not loaded", metadata: ["folder": "\(tenant.directory)", "error": "\(error)"])
                }
            }
        }
        logger.info("tenants discovered", metadata: ["count": "\(found.count)"])
    }

    /// Tenants whose engine is open now.
    public var loadedTenantIDs: [String] {
        registry.withLock { registry in
            registry.slots.compactMap { id, slot in
                if case .ready = slot { return id }
                return nil
            }.sorted()
        }
    }

    /// A tenant that takes no requests: fenced after an integrity check failed, or whose folder's manifest could
    /// not be read at start-up.
    public struct Fenced: Sendable, Equatable {
        /// The tenant id (the folder's name).
        public let id: String
        public let reason: String
    }

    /// Every fenced or unreadable tenant, by id.
    public var fencedTenants: [Fenced] {
        registry.withLock { registry in
            var fenced = registry.unreadable.map { Fenced(id: $0.key, reason: $0.value) }
            for (id, slot) in registry.slots {
                if case .fenced(let error) = slot { fenced.append(Fenced(id: id, reason: error.message)) }
            }
            return fenced.sorted { $0.id < $1.id }
        }
    }

    public var listings: [Listing] {
        registry.withLock { $0.listings.values.sorted { $0.slug < $1.slug } }
    }

    public func listing(slug: String) -> Listing? {
        registry.withLock { registry in registry.idsBySlug[slug].flatMap { registry.listings[$0] } }
    }

    public func listing(id: String) -> Listing? {
        registry.withLock { $0.listings[id] }
    }

    /// The engine of a tenant, opening it on first use (once, however many callers ask at the same time).
    public func engine(id: String) async throws(EngineError) -> TenantEngine {
        while true {
            if let engine = try await engineUnlessClosing(id: id) { return engine }
        }
    }

    /// The engine, or nil after waiting for an unloading engine's journal to close (ask again).
    private func engineUnlessClosing(id: String) async throws(EngineError) -> TenantEngine? {
        enum Next {
            case ready(TenantEngine)
            case wait(ResultBox<TenantEngine>)
            case load(ResultBox<TenantEngine>)
            case waitClosed(ResultBox<Bool>)
            case fail(EngineError)
        }
        let next = registry.withLock { registry -> Next in
            guard !registry.closed else { return .fail(EngineError(.tenantUnavailable, "the server is shutting down")) }
            guard registry.listings[id] != nil else { return .fail(.notFound("organization")) }
            switch registry.slots[id] {
            case .ready(let engine): return .ready(engine)
            case .loading(let box): return .wait(box)
            case .closing(let box): return .waitClosed(box)
            case .fenced(let error): return .fail(error)
            case nil:
                let box = ResultBox<TenantEngine>()
                registry.slots[id] = .loading(box)
                return .load(box)
            }
        }
        switch next {
        case .ready(let engine): return engine
        case .fail(let error): throw error
        case .wait(let box): return try await box.value().get()
        case .waitClosed(let box):
            _ = await box.value()
            return nil
        case .load(let box):
            let result = await load(id: id)
            registry.withLock { registry in
                switch result {
                case .success(let engine): registry.slots[id] = .ready(engine)
                case .failure(let error) where error.code == .tenantUnavailable: registry.slots[id] = .fenced(error)
                case .failure: registry.slots[id] = nil  // e.g. a disk error: try again next time
                }
            }
            box.fill(result)
            return try result.get()
        }
    }

    private func load(id: String) async -> Result<TenantEngine, EngineError> {
        var tenantLogger = logger
        tenantLogger[metadataKey: "tenant"] = "\(id)"
        do {
            let (store, state, report) = try await TenantStore.openOffThread(
                directory: data.tenantDirectory(id), tenantID: id, as: TenantState.self, io: data.io,
                logger: tenantLogger)
            tenantLogger.info(
                "tenant opened",
                metadata: [
                    "head": "\(report.head.seq)", "snapshot": "\(report.snapshotSeq.map(String.init) ?? "none")",
                ])
            return .success(TenantEngine(
                tenantID: id, store: store, state: state, eventsSinceSnapshot: UInt64(report.replayedEvents),
                clock: clock,
                logger: tenantLogger, snapshotTailEventsMax: snapshotTailEventsMax))
        } catch {
            let engineError = EngineError.from(error)
            if engineError.code == .tenantUnavailable {
                tenantLogger.critical(
                    "TENANT FENCED: its folder failed an integrity check", metadata: ["error": "\(error)"])
            }
            return .failure(engineError)
        }
    }

    /// Registers a tenant folder just created (see `createTenantFolder`).
    func register(_ listing: Listing) {
        registry.withLock { registry in
            registry.listings[listing.id] = listing
            registry.idsBySlug[listing.slug] = listing.id
        }
    }

    /// Reserves a slug for a new tenant; false when taken.
    func reserve(slug: String, id: String) -> Bool {
        registry.withLock { registry in
            guard registry.idsBySlug[slug] == nil else { return false }
            registry.idsBySlug[slug] = id
            return true
        }
    }

    func release(slug: String) {
        registry.withLock { _ = $0.idsBySlug.removeValue(forKey: slug) }
    }

    /// Closes engines idle for longer than `idleEvictionMs` (their state is rebuilt on next use).
    ///
    /// An engine is unloaded only if it is idle at the moment it stops taking commands (`closeIfIdle`), so a
    /// request that got it just before is refused with a retryable 503 rather than written after the close.
    /// Until its journal is closed the slot says so, and a request for the tenant waits: a second engine
    /// never opens the folder while the first may still write to it.
    public func evictIdle() async {
        let nowMs = clock.nowMs()
        let idle = registry.withLock { registry -> [(String, TenantEngine, ResultBox<Bool>)] in
            var evicted: [(String, TenantEngine, ResultBox<Bool>)] = []
            for (id, slot) in registry.slots {
                guard case .ready(let engine) = slot, nowMs - engine.lastUsedMs > idleEvictionMs, engine.closeIfIdle()
                else { continue }
                let closed = ResultBox<Bool>()
                registry.slots[id] = .closing(closed)
                evicted.append((id, engine, closed))
            }
            return evicted
        }
        for (id, engine, closed) in idle {
            await engine.close()
            registry.withLock { registry in
                if case .closing = registry.slots[id] { registry.slots[id] = nil }
            }
            closed.fill(.success(true))
            logger.info("idle tenant unloaded", metadata: ["tenant": "\(engine.tenantID)"])
        }
    }

    /// Until graceful shutdown: unloads idle tenants now and then. Then closes every journal.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
            await evictIdle()
        }
        await closeAll()
    }

    public func closeAll() async {
        let engines = registry.withLock { registry -> [TenantEngine] in
            registry.closed = true
            return registry.slots.values.compactMap { slot in
                if case .ready(let engine) = slot { return engine }
                return nil
            }
        }
        for engine in engines { await engine.close() }
        logger.info("journals closed", metadata: ["tenants": "\(engines.count)"])
    }
}
