public import Logging
public import PesaCore
public import ServiceLifecycle
import Foundation
import Synchronization

/// Renders an event's body: `{"id", "type", "created_at", "data"}`, `data` being the object as the API shows
/// it when the delivery is made (the API module renders its own views; `MinimalWebhookRenderer` names the
/// object only).
public protocol WebhookRendering: Sendable {
    func body(of event: WebhookEventRecord, in state: TenantState) -> [UInt8]
}

/// Delivers the organizations' pending webhooks: due deliveries go out at most `perOrganizationMax` at once per
/// organization and `instanceMax` at once in all, so a slow endpoint holds only its own slots and never a
/// payment, a callback or another organization. Every attempt is journaled (`webhook.delivery_attempted`); a
/// restart resumes from the journal (a delivery whose answer the crash lost is sent again, with the same
/// `webhook-id`).
///
/// The loop looks at every tenant at start-up, then at the tenants in use and those whose next attempt is due,
/// every `tickMs` and whenever a delivery ends. For each it keeps up to twice its slots of deliveries ready (read
/// with their bodies in one read of the state) and starts a worker per free slot. A worker sends one delivery,
/// hands its attempt to the journal without waiting for it, and goes on with the next ready one: neither the read
/// nor the journal write (which under load wait for the write under way) is on a delivery's path.
public struct WebhookDispatcher: Service {
    let gateway: Gateway
    let client: WebhookHTTPClient
    let renderer: any WebhookRendering
    let tickMs: Int64
    let perOrganizationMax: Int
    let instanceMax: Int
    let logger: Logger

    public init(
        gateway: Gateway, client: WebhookHTTPClient, renderer: any WebhookRendering, tickMs: Int64 = 100,
        perOrganizationMax: Int = 8, instanceMax: Int = 64, logger: Logger
    ) {
        self.gateway = gateway
        self.client = client
        self.renderer = renderer
        self.tickMs = tickMs
        self.perOrganizationMax = perOrganizationMax
        self.instanceMax = instanceMax
        self.logger = logger
    }

    public func run() async throws {
        let flights = WebhookFlights()
        let wake = WebhookWake()
        var tenants = Set(gateway.registry.listings.map(\.id))
        var dueAt: [String: Int64] = [:]
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let nowMs = gateway.clock.nowMs()
                tenants.formUnion(dueAt.filter { $0.value <= nowMs }.keys)
                for tenant in tenants.sorted() {
                    guard let organization = try? OrganizationID(parsing: tenant) else { continue }
                    // Ready deliveries are bounded; so are answers waiting to be journaled (a stalled disk).
                    let wanted = min(
                        perOrganizationMax * 2 - flights.readyCount(tenant),
                        perOrganizationMax * 16 - flights.ids(tenant).count)
                    if wanted > 0 {
                        let (ready, next) = await gateway.readyWebhookDeliveries(
                            organization, nowMs: nowMs, max: wanted, excluding: flights.ids(tenant),
                            renderer: renderer)
                        dueAt[tenant] = next
                        flights.add(ready, tenant: tenant)
                    } else {
                        dueAt[tenant] = nowMs  // full: looked at again when a delivery ends
                    }
                    while let first = flights.startNext(
                        tenant: tenant, perTenantMax: perOrganizationMax, totalMax: instanceMax)
                    {
                        group.addTask { await work(first, tenant: tenant, flights: flights, wake: wake) }
                    }
                }
                await withGracefulShutdownHandler {
                    await wake.wait(ms: tickMs)
                } onGracefulShutdown: {
                    wake.signal()
                }
                tenants = Set(gateway.registry.loadedTenantIDs)
            }
            // Shutting down: deliveries under way stop at once and stay pending (sent again after the restart).
            group.cancelAll()
        }
    }

    /// One slot's worker: sends `first`, then the tenant's next ready delivery while there is one; each attempt
    /// is journaled beside it, and ends (its delivery free to be picked again if still pending) once journaled.
    func work(_ first: ReadyWebhookDelivery, tenant: String, flights: WebhookFlights, wake: WebhookWake) async {
        await withDiscardingTaskGroup { journals in
            var next: ReadyWebhookDelivery? = first
            while let ready = next {
                let (startedMs, response) = await gateway.sendWebhook(ready, client: client)
                // Shutting down: not the endpoint's failure, no attempt counted; the delivery stays pending.
                guard !Task.isCancelled else { break }
                // 410 Gone disables the endpoint: its deliveries ready to go are held back (still taken, so not
                // read again) until that is journaled, which gives them up.
                let held =
                    response.statusCode == 410
                    ? flights.holdBack(endpoint: ready.endpoint.id, tenant: tenant) : []
                journals.addTask {
                    await gateway.journalWebhookAttempt(
                        ready, startedMs: startedMs, response: response, logger: logger)
                    for id in [ready.delivery.id] + held { flights.end(id, tenant: tenant) }
                    wake.signal()
                }
                next = flights.continueWith(after: ready.delivery.id, tenant: tenant)
            }
            wake.signal()
        }
    }
}

/// The deliveries taken, per tenant: ready to send, being sent (what the limits count), or answered and waiting
/// for their attempt to be journaled. A delivery taken is never picked again until it ends.
final class WebhookFlights: Sendable {
    private struct Tenant {
        var taken: Set<WebhookDeliveryID> = []
        var ready: [ReadyWebhookDelivery] = []
        var sending: Set<WebhookDeliveryID> = []
    }

    private struct State {
        var tenants: [String: Tenant] = [:]
        var sending = 0
    }

    private let state = Mutex(State())

    /// Requests open, in all.
    var total: Int { state.withLock { $0.sending } }
    /// Requests open to the organization's endpoints.
    func count(_ tenant: String) -> Int { state.withLock { $0.tenants[tenant]?.sending.count ?? 0 } }
    func readyCount(_ tenant: String) -> Int { state.withLock { $0.tenants[tenant]?.ready.count ?? 0 } }
    func ids(_ tenant: String) -> Set<WebhookDeliveryID> { state.withLock { $0.tenants[tenant]?.taken ?? [] } }

    /// Takes deliveries read ready (those already taken are left out).
    func add(_ ready: [ReadyWebhookDelivery], tenant: String) {
        state.withLock { state in
            for delivery in ready {
                guard state.tenants[tenant, default: Tenant()].taken.insert(delivery.delivery.id).inserted else {
                    continue
                }
                state.tenants[tenant]?.ready.append(delivery)
            }
        }
    }

    /// The tenant's next ready delivery, now being sent, if a slot is free for it.
    func startNext(tenant: String, perTenantMax: Int, totalMax: Int) -> ReadyWebhookDelivery? {
        state.withLock { state in
            guard var entry = state.tenants[tenant], !entry.ready.isEmpty, entry.sending.count < perTenantMax,
                state.sending < totalMax
            else { return nil }
            let next = entry.ready.removeFirst()
            entry.sending.insert(next.delivery.id)
            state.tenants[tenant] = entry
            state.sending += 1
            return next
        }
    }

    /// `id` got its answer (its attempt still to be journaled): its slot goes to the tenant's next ready delivery,
    /// returned, or is freed.
    func continueWith(after id: WebhookDeliveryID, tenant: String) -> ReadyWebhookDelivery? {
        state.withLock { state in
            guard var entry = state.tenants[tenant], entry.sending.remove(id) != nil else { return nil }
            guard !entry.ready.isEmpty else {
                state.tenants[tenant] = entry
                state.sending -= 1
                return nil
            }
            let next = entry.ready.removeFirst()
            entry.sending.insert(next.delivery.id)
            state.tenants[tenant] = entry
            return next
        }
    }

    /// Takes the endpoint's ready deliveries out of the queue; they stay taken until `end`.
    func holdBack(endpoint: WebhookEndpointID, tenant: String) -> [WebhookDeliveryID] {
        state.withLock { state in
            guard var entry = state.tenants[tenant] else { return [] }
            let held = entry.ready.filter { $0.endpoint.id == endpoint }.map(\.delivery.id)
            entry.ready.removeAll { $0.endpoint.id == endpoint }
            state.tenants[tenant] = entry
            return held
        }
    }

    /// `id`'s attempt is journaled (or it was given up): it may be picked again if it is still pending.
    func end(_ id: WebhookDeliveryID, tenant: String) {
        state.withLock { state in
            state.tenants[tenant]?.taken.remove(id)
            if state.tenants[tenant]?.sending.remove(id) != nil { state.sending -= 1 }
        }
    }
}

/// Wakes the dispatcher before its tick: a delivery ended (its slot is free), or the service stops.
final class WebhookWake: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Ends the wait under way, or the next one at once if none is under way.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at a signal (at once if one came since the last wait), after `ms`, or when the task is cancelled.
    func wait(ms: Int64) async {
        let timer = Task {
            guard (try? await Task.sleep(for: .milliseconds(ms))) != nil else { return }
            self.signal()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.signalled {
                        state.signalled = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
        timer.cancel()
    }
}

/// A body that names the event's object by id only (`data: {"object", "id"}`): for gateways without the API's
/// views (tests of the engine).
public struct MinimalWebhookRenderer: WebhookRendering {
    public init() {}

    public func body(of event: WebhookEventRecord, in state: TenantState) -> [UInt8] {
        struct Body: Encodable {
            struct Object: Encodable {
                let object: String
                let id: String?
            }
            let id: String
            let type: String
            let createdAtMs: Int64
            let data: Object

            enum CodingKeys: String, CodingKey {
                case id, type, data
                case createdAtMs = "created_at_ms"
            }
        }
        return Gateway.json(
            Body(
                id: event.id.rawValue, type: event.type.rawValue, createdAtMs: event.createdAtMs,
                data: .init(object: event.subject.rawValue, id: event.subjectID)))
    }
}

