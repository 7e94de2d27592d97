import Foundation
import Logging
import PesaCore

/// A due delivery with what sending it needs, read together: its event, its endpoint and its body.
struct ReadyWebhookDelivery: Sendable {
    let organization: OrganizationID
    let delivery: WebhookDeliveryRecord
    let event: WebhookEventRecord
    let endpoint: WebhookEndpointRecord
    let body: [UInt8]
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

    /// Up to `max` due deliveries (not under way) made ready to send in one read of the state: each with its
    /// event, its endpoint and its body rendered now; those whose endpoint is disabled or gone are given up. And
    /// when the next one not taken is due. One read serves many deliveries: under load a read waits for the
    /// journal write under way, which one read per delivery would put on every delivery's path.
    func readyWebhookDeliveries(
        _ organization: OrganizationID, nowMs: Int64, max: Int, excluding flying: Set<WebhookDeliveryID>,
        renderer: any WebhookRendering
    ) async -> (ready: [ReadyWebhookDelivery], nextAtMs: Int64?) {
        guard let engine = try? await engine(organization) else { return ([], nil) }
        let found = try? await engine.read(touch: false) { state in
            let (ids, next) = state.webhookSchedule.due(nowMs: nowMs, max: max, excluding: flying)
            var ready: [ReadyWebhookDelivery] = []
            var stopped: [WebhookDeliveryID] = []
            for id in ids {
                switch Self.readyDelivery(id, in: organization, state: state, renderer: renderer) {
                case .ready(let delivery): ready.append(delivery)
                case .stopped: stopped.append(id)
                case .over: break
                }
            }
            return (ready, stopped, next)
        }
        guard let (ready, stopped, next) = found else { return ([], nil) }
        for id in stopped { await giveUpIfStopped(id, engine: engine) }
        return (ready, stopped.isEmpty ? next : nowMs)
    }

    /// One attempt of a delivery, journaled with what follows from its answer: success; `410 Gone` disables the
    /// endpoint; else the next attempt on the schedule (later when a 429 or 503 asks with `Retry-After`), or
    /// `failed` when the schedule is over. An endpoint failing without a success for five days is disabled.
    func deliverWebhook(
        _ delivery: WebhookDeliveryRecord, in organization: OrganizationID, client: WebhookHTTPClient,
        renderer: any WebhookRendering, logger: Logger
    ) async {
        guard let engine = try? await engine(organization),
            let lookup = try? await engine.read({ state in
                Self.readyDelivery(delivery.id, in: organization, state: state, renderer: renderer)
            })
        else { return }
        guard case .ready(let found) = lookup else {
            if case .stopped = lookup { await giveUpIfStopped(delivery.id, engine: engine) }
            return
        }
        let (startedMs, response) = await sendWebhook(found, client: client)
        guard !Task.isCancelled else { return }  // shutting down: not the endpoint's failure, no attempt counted
        await journalWebhookAttempt(found, startedMs: startedMs, response: response, logger: logger)
    }

    enum ReadyLookup: Sendable {
        case ready(ReadyWebhookDelivery)
        /// Pending, but its endpoint is disabled or gone: to give up.
        case stopped
        /// No longer pending.
        case over
    }

    /// A pending delivery with its event, its endpoint and its body rendered from `state`.
    static func readyDelivery(
        _ id: WebhookDeliveryID, in organization: OrganizationID, state: TenantState, renderer: any WebhookRendering
    ) -> ReadyLookup {
        guard let delivery = state.webhookDeliveries[id], delivery.status == .pending,
            let event = state.webhookEvents[delivery.eventID]
        else { return .over }
        guard let endpoint = state.webhookEndpoints[delivery.endpointID], endpoint.enabled else { return .stopped }
        return .ready(
            ReadyWebhookDelivery(
                organization: organization, delivery: delivery, event: event, endpoint: endpoint,
                body: renderer.body(of: event, in: state)))
    }

    /// One attempt of a ready delivery: signed with the endpoint's secrets at the time of sending, posted to an
    /// address checked now; when it started, and the answer.
    func sendWebhook(_ ready: ReadyWebhookDelivery, client: WebhookHTTPClient) async -> (Int64, WebhookResponse) {
        let startedMs = clock.nowMs()
        guard let engine = try? await engine(ready.organization) else {
            let text = "the organization could not be opened"
            let response = WebhookResponse(statusCode: nil, latencyMs: 0, error: text, retryAfter: nil, bodyPrefix: "")
            return (startedMs, response)
        }
        let response = await attemptWebhook(
            event: ready.event, endpoint: ready.endpoint, body: ready.body, engine: engine, client: client)
        return (startedMs, response)
    }

    /// Journals an attempt's answer with what follows from it (see `deliverWebhook`).
    func journalWebhookAttempt(
        _ ready: ReadyWebhookDelivery, startedMs: Int64, response: WebhookResponse, logger: Logger
    ) async {
        let delivery = ready.delivery
        guard let engine = try? await engine(ready.organization) else { return }
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
