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
/// organization and `instanceMax` at once in all, each on its own task, so a slow endpoint holds only its own
/// slots and never a payment, a callback or another organization. Every attempt is journaled
/// (`webhook.delivery_attempted`); a restart resumes from the journal (a delivery whose answer the crash lost
/// is sent again, with the same `webhook-id`). It looks at every tenant at start-up, then at the tenants in
/// use and those whose next attempt is due, every `tickMs` and as soon as a delivery ends (its slot is taken
/// again at once: with slots freed only at the tick, an organization would get at most `perOrganizationMax`
/// deliveries per tick, 80 a second, however fast its endpoint answers).
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
                    // Requests open are limited; so are answers waiting to be journaled (a stalled disk).
                    let free = min(
                        perOrganizationMax - flights.count(tenant), instanceMax - flights.total,
                        perOrganizationMax * 16 - flights.ids(tenant).count)
                    guard free > 0 else {
                        // Every slot is taken: nothing to read until one ends (which wakes this loop).
                        dueAt[tenant] = nowMs
                        continue
                    }
                    let (due, next) = await gateway.dueWebhookDeliveries(
                        organization, nowMs: nowMs, max: free, excluding: flights.ids(tenant))
                    dueAt[tenant] = next
                    for delivery in due where flights.start(delivery.id, tenant: tenant) {
                        group.addTask {
                            // The slot frees when the answer comes, not when the attempt is journaled: a fast
                            // endpoint is not held to the pace of the organization's journal syncs.
                            await gateway.deliverWebhook(
                                delivery, in: organization, client: client, renderer: renderer, logger: logger
                            ) {
                                flights.answered(delivery.id, tenant: tenant)
                                wake.signal()
                            }
                            flights.end(delivery.id, tenant: tenant)
                            wake.signal()
                        }
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
}

/// The deliveries under way, per tenant.
final class WebhookFlights: Sendable {
    private struct Tenant {
        /// Deliveries taken and not journaled yet (never picked twice).
        var taken: Set<WebhookDeliveryID> = []
        /// Those of them whose request is still open: what the limits count.
        var connected: Set<WebhookDeliveryID> = []
    }

    private let state = Mutex<[String: Tenant]>([:])

    /// Requests open, in all.
    var total: Int { state.withLock { $0.values.reduce(0) { $0 + $1.connected.count } } }
    /// Requests open to the organization's endpoints.
    func count(_ tenant: String) -> Int { state.withLock { $0[tenant]?.connected.count ?? 0 } }
    func ids(_ tenant: String) -> Set<WebhookDeliveryID> { state.withLock { $0[tenant]?.taken ?? [] } }
    func start(_ id: WebhookDeliveryID, tenant: String) -> Bool {
        state.withLock { state in
            guard state[tenant, default: Tenant()].taken.insert(id).inserted else { return false }
            state[tenant]?.connected.insert(id)
            return true
        }
    }
    /// The request got its answer (or gave up): its slot is free while its attempt is journaled.
    func answered(_ id: WebhookDeliveryID, tenant: String) {
        state.withLock { _ = $0[tenant]?.connected.remove(id) }
    }
    func end(_ id: WebhookDeliveryID, tenant: String) {
        state.withLock { state in
            state[tenant]?.taken.remove(id)
            state[tenant]?.connected.remove(id)
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

extension Gateway {
    /// Sorted-key JSON of a value (empty on an encoding failure, which plain structs never have).
    static func json(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map(Array.init) ?? []
    }

    /// Up to `max` pending deliveries due at `nowMs` (not under way), oldest due first, and when the next one
    /// not taken is due.
    func dueWebhookDeliveries(
        _ organization: OrganizationID, nowMs: Int64, max: Int, excluding flying: Set<WebhookDeliveryID>
    ) async -> (due: [WebhookDeliveryRecord], nextAtMs: Int64?) {
        guard let engine = try? await engine(organization) else { return ([], nil) }
        return
            (try? await engine.read(touch: false) { state in
                let (ids, next) = state.webhookSchedule.due(nowMs: nowMs, max: max, excluding: flying)
                return (ids.compactMap { state.webhookDeliveries[$0] }, next)
            }) ?? ([], nil)
    }

    /// One attempt of a delivery, journaled with what follows from its answer: success; `410 Gone` disables the
    /// endpoint; else the next attempt on the schedule (later when a 429 or 503 asks with `Retry-After`), or
    /// `failed` when the schedule is over. An endpoint failing without a success for five days is disabled.
    func deliverWebhook(
        _ delivery: WebhookDeliveryRecord, in organization: OrganizationID, client: WebhookHTTPClient,
        renderer: any WebhookRendering, logger: Logger, answered: @Sendable () -> Void = {}
    ) async {
        guard let engine = try? await engine(organization),
            let found = try? await engine.read({ state -> (WebhookEventRecord, WebhookEndpointRecord, [UInt8])? in
                guard state.webhookDeliveries[delivery.id]?.status == .pending,
                    let event = state.webhookEvents[delivery.eventID],
                    let endpoint = state.webhookEndpoints[delivery.endpointID], endpoint.enabled
                else { return nil }
                return (event, endpoint, renderer.body(of: event, in: state))
            })
        else {
            await giveUpIfStopped(delivery.id, engine: try? await engine(organization))
            return
        }
        let (event, endpoint, body) = found
        let startedMs = clock.nowMs()
        let response = await attemptWebhook(
            event: event, endpoint: endpoint, body: body, engine: engine, client: client)
        answered()
        guard !Task.isCancelled else { return }  // shutting down: not the endpoint's failure, no attempt counted
        let attempt = WebhookAttempt(
            atMs: startedMs, statusCode: response.statusCode, latencyMs: response.latencyMs,
            error: response.error.map { String($0.prefix(300)) })
        let journaled = try? await engine.execute { (state, context) throws(EngineError) -> Decision<[TenantEvent]> in
            guard let current = state.webhookDeliveries[delivery.id], current.status == .pending else {
                return Decision(value: [])
            }
            let events = Self.attemptEvents(
                current, attempt: attempt, response: response, in: state, nowMs: context.nowMs)
            return Decision(events: events, value: events)
        }
        for event in journaled ?? [] {
            switch event {
            case .webhookDeliveryAttempted(let data): WebhookMetrics.count(data.status)
            case .webhookEndpointUpdated(let data) where data.enabled == false: WebhookMetrics.countDisabled()
            default: break
            }
        }
        if !response.isSuccess {
            logger.debug(
                "webhook delivery failed",
                metadata: ["delivery": "\(delivery.id)", "status": "\(response.statusCode ?? 0)"])
        }
    }

    /// A pending delivery whose endpoint is disabled or gone (a change raced with the delivery being picked) is
    /// given up, so that it is not picked again at every tick.
    private func giveUpIfStopped(_ id: WebhookDeliveryID, engine: TenantEngine?) async {
        _ = try? await engine?.execute { (state, _) throws(EngineError) -> Decision<Void> in
            guard let delivery = state.webhookDeliveries[id], delivery.status == .pending,
                state.webhookEndpoints[delivery.endpointID]?.enabled != true
            else { return Decision(value: ()) }
            return Decision(
                events: [.webhookDeliveriesQueued(.init(deliveryIDs: [id], reason: .endpointStopped))], value: ())
        }
    }

    private func attemptWebhook(
        event: WebhookEventRecord, endpoint: WebhookEndpointRecord, body: [UInt8], engine: TenantEngine,
        client: WebhookHTTPClient
    ) async -> WebhookResponse {
        func failure(_ text: String) -> WebhookResponse {
            WebhookResponse(statusCode: nil, latencyMs: 0, error: text, retryAfter: nil, bodyPrefix: "")
        }
        let secrets: [WebhookSecret]
        do throws(EngineError) {
            secrets = try await webhookSigningSecrets(endpoint.id, engine: engine)
        } catch {
            return failure(error.message)
        }
        let target: WebhookTarget
        let addresses: [String]
        do throws(WebhookError) {
            target = try WebhookTarget.parse(endpoint.url, requireHTTPS: false)
            addresses = try await WebhookAddressPolicy(allowPrivate: payments.allowPrivateWebhooks).resolve(target)
        } catch {
            return failure(error.message)
        }
        guard let address = addresses.first else { return failure("the endpoint's host resolves to no address") }
        let timestamp = clock.nowMs() / 1_000
        let headers = [
            ("webhook-id", event.id.rawValue), ("webhook-timestamp", String(timestamp)),
            (
                "webhook-signature",
                WebhookSignature.header(
                    id: event.id.rawValue, timestampSeconds: timestamp, body: body, secrets: secrets)
            ),
        ]
        return await client.post(target, address: address, headers: headers, body: body)
    }

    /// What an attempt journals (see `deliverWebhook`).
    static func attemptEvents(
        _ delivery: WebhookDeliveryRecord, attempt: WebhookAttempt, response: WebhookResponse, in state: TenantState,
        nowMs: Int64
    ) -> [TenantEvent] {
        if response.isSuccess {
            return [
                .webhookDeliveryAttempted(
                    .init(
                        deliveryID: delivery.id, attempt: attempt, status: .succeeded, nextAttemptAtMs: nil))
            ]
        }
        let asked: Int64? =
            if response.statusCode == 429 || response.statusCode == 503, let header = response.retryAfter {
                WebhookRetrySchedule.retryAfterMs(header, nowMs: nowMs)
            } else { nil }
        let next = WebhookRetrySchedule.nextAttemptAtMs(
            attemptsMade: delivery.scheduledAttempts + 1, nowMs: nowMs, retryAfterMs: asked)
        let gone = response.statusCode == 410
        let failingSince = state.webhookEndpoints[delivery.endpointID]?.failingSinceMs ?? attempt.atMs
        let exhausted = nowMs - failingSince >= Limits.webhookFailingDisableMs
        let stops = gone || exhausted || next == nil
        var events: [TenantEvent] = [
            .webhookDeliveryAttempted(
                .init(
                    deliveryID: delivery.id, attempt: attempt, status: stops ? .failed : .pending,
                    nextAttemptAtMs: stops ? nil : next))
        ]
        if gone || exhausted {
            let reason =
                gone ? "the endpoint answered 410 Gone" : "every attempt failed for 5 days"
            events += disableEndpoint(delivery.endpointID, reason: reason, besides: delivery.id, in: state)
        }
        return events
    }

    /// Disables an endpoint the gateway gave up on: its other pending deliveries fail, the organization's other
    /// endpoints get `endpoint.disabled`, and the audit log says why.
    static func disableEndpoint(
        _ endpoint: WebhookEndpointID, reason: String, besides delivery: WebhookDeliveryID, in state: TenantState
    ) -> [TenantEvent] {
        guard state.webhookEndpoints[endpoint]?.enabled == true else { return [] }
        var stopped = stopDeliveries(to: endpoint, in: state)
        if case .webhookDeliveriesQueued(var data)? = stopped.first {
            data.deliveryIDs.removeAll { $0 == delivery }
            stopped = data.deliveryIDs.isEmpty ? [] : [.webhookDeliveriesQueued(data)]
        }
        var notice = TenantEngine.webhookEvent(.endpointDisabled, .endpoint, endpoint.rawValue, in: state)
        notice.deliveries.removeAll { $0.endpointID == endpoint }
        return stopped + [
            .webhookEndpointUpdated(.init(endpointID: endpoint, enabled: false, disabledReason: reason)),
            .webhookEventCreated(notice),
            .auditRecorded(
                .init(
                    actor: "system", action: "webhook.disable", target: "\(endpoint.rawValue) \(reason)",
                    requestID: "webhooks")),
        ]
    }
}
