public import PesaCore

/// Which deliveries `GET /v1/webhook-deliveries` lists.
public struct WebhookDeliveryFilter: Sendable {
    public var status: WebhookDeliveryStatus?
    public var endpoint: WebhookEndpointID?
    public var event: EventID?

    public init(status: WebhookDeliveryStatus? = nil, endpoint: WebhookEndpointID? = nil, event: EventID? = nil) {
        self.status = status
        self.endpoint = endpoint
        self.event = event
    }
}

/// A delivery with the type of its event, as the API lists it.
public struct WebhookDeliveryView: Sendable {
    public let delivery: WebhookDeliveryRecord
    public let type: WebhookEventType
}

extension Gateway {
    /// The organization's events, newest first, `limit` after the event `cursor`, optionally of one type.
    public func webhookEvents(
        type: WebhookEventType?, after cursor: String?, limit: Int, in organization: OrganizationID, by actor: Actor
    ) async throws(EngineError) -> (items: [WebhookEventRecord], more: Bool) {
        try actor.authorize(.listEvents, in: organization)
        return try await engine(organization).read { (state) throws(EngineError) in
            let events = state.webhookEventsNewestFirst.lazy.compactMap { state.webhookEvents[$0] }
                .filter { type == nil || $0.type == type }
            guard let page = events.page(after: cursor, limit: limit, id: \.id.rawValue) else {
                throw EngineError.invalid("starting_after", "no event \(cursor ?? "") in this list")
            }
            return page
        }
    }

    public func webhookEvent(_ id: String, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> (event: WebhookEventRecord, deliveries: [WebhookDeliveryRecord])
    {
        try actor.authorize(.listEvents, in: organization)
        guard let eventID = try? EventID(parsing: id) else { throw EngineError.notFound("event") }
        return try await engine(organization).read { (state) throws(EngineError) in
            guard let event = state.webhookEvents[eventID] else { throw EngineError.notFound("event") }
            return (event, event.deliveries.compactMap { state.webhookDeliveries[$0] })
        }
    }

    /// An event rendered by `render` from the state, with its deliveries (`GET /v1/events/{id}`).
    public func webhookEventDocument(
        _ id: String, in organization: OrganizationID, by actor: Actor,
        render: @escaping @Sendable (WebhookEventRecord, [WebhookDeliveryRecord], TenantState) -> [UInt8]
    ) async throws(EngineError) -> [UInt8] {
        try actor.authorize(.listEvents, in: organization)
        guard let eventID = try? EventID(parsing: id) else { throw EngineError.notFound("event") }
        return try await engine(organization).read { (state) throws(EngineError) in
            guard let event = state.webhookEvents[eventID] else { throw EngineError.notFound("event") }
            return render(event, event.deliveries.compactMap { state.webhookDeliveries[$0] }, state)
        }
    }

    /// Deliveries, newest event first, filtered; paged by delivery id. The pending ones come from their index
    /// (newest first, by when they were made), not from a walk over every event kept.
    public func webhookDeliveries(
        _ filter: WebhookDeliveryFilter, after cursor: String?, limit: Int, in organization: OrganizationID,
        by actor: Actor
    ) async throws(EngineError) -> (items: [WebhookDeliveryView], more: Bool) {
        try actor.authorize(.listWebhookDeliveries, in: organization)
        return try await engine(organization).read { (state) throws(EngineError) in
            func wanted(_ delivery: WebhookDeliveryRecord) -> Bool {
                (filter.status == nil || delivery.status == filter.status)
                    && (filter.endpoint == nil || delivery.endpointID == filter.endpoint)
            }
            func page(_ views: some Collection<WebhookDeliveryView>) -> (items: [WebhookDeliveryView], more: Bool)? {
                views.page(after: cursor, limit: limit, id: \.delivery.id.rawValue)
            }
            func page(of events: some Collection<EventID>) -> (items: [WebhookDeliveryView], more: Bool)? {
                page(
                    events.lazy.compactMap { state.webhookEvents[$0] }.flatMap { event in
                        event.deliveries.lazy.compactMap { state.webhookDeliveries[$0] }.filter(wanted)
                            .map { WebhookDeliveryView(delivery: $0, type: event.type) }
                    })
            }
            let found: (items: [WebhookDeliveryView], more: Bool)?
            if let event = filter.event {
                found = page(of: [event])
            } else if filter.status == .pending {
                let pending = state.pendingWebhookDeliveries.compactMap { state.webhookDeliveries[$0] }
                    .filter(wanted).sorted { ($0.createdAtMs, $0.id) > ($1.createdAtMs, $1.id) }
                found = page(
                    pending.lazy.compactMap { delivery in
                        state.webhookEvents[delivery.eventID].map {
                            WebhookDeliveryView(delivery: delivery, type: $0.type)
                        }
                    })
            } else {
                found = page(of: state.webhookEventsNewestFirst)
            }
            guard let found else {
                throw EngineError.invalid("starting_after", "no delivery \(cursor ?? "") in this list")
            }
            return found
        }
    }

    /// Sends one delivery again now, on a new schedule (409 while it is pending or its endpoint is disabled).
    public func retryWebhookDelivery(_ id: String, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> WebhookDeliveryRecord
    {
        try actor.authorize(.retryWebhookDelivery, in: organization)
        guard let deliveryID = try? WebhookDeliveryID(parsing: id) else { throw EngineError.notFound("delivery") }
        return try await engine(organization).execute { (state, _) throws(EngineError) in
            guard let delivery = state.webhookDeliveries[deliveryID] else { throw EngineError.notFound("delivery") }
            guard delivery.status != .pending else {
                throw EngineError(.conflict, "delivery \(deliveryID) is already waiting for its next attempt")
            }
            try Self.requireEnabled(delivery.endpointID, in: state)
            return Decision(
                events: [
                    .webhookDeliveriesQueued(.init(deliveryIDs: [deliveryID], reason: .retry)),
                    actor.audit("webhook.retry", target: deliveryID.rawValue),
                ], value: ())
        } thenRead: { (state, _) throws(EngineError) in
            guard let delivery = state.webhookDeliveries[deliveryID] else { throw EngineError.notFound("delivery") }
            return delivery
        }
    }

    /// Sends again every failed delivery to the endpoint whose event was created in [`sinceMs`, `untilMs`);
    /// how many.
    public func recoverWebhookDeliveries(
        endpoint id: String, sinceMs: Int64, untilMs: Int64?, in organization: OrganizationID, by actor: Actor
    ) async throws(EngineError) -> Int {
        try actor.authorize(.recoverWebhookDeliveries, in: organization)
        let endpointID = try Self.endpointID(id)
        let until = untilMs ?? clock.nowMs() + 1
        guard sinceMs < until else { throw EngineError.invalid("until", "until must be after since") }
        return try await engine(organization).execute { (state, _) throws(EngineError) in
            try Self.requireEnabled(endpointID, in: state)
            let failed = state.webhookDeliveries.values.filter { delivery in
                guard delivery.endpointID == endpointID, delivery.status == .failed,
                    let created = state.webhookEvents[delivery.eventID]?.createdAtMs
                else { return false }
                return created >= sinceMs && created < until
            }.map(\.id).sorted()
            guard !failed.isEmpty else { return Decision(value: 0) }
            return Decision(
                events: [
                    .webhookDeliveriesQueued(.init(deliveryIDs: failed, reason: .recover)),
                    actor.audit("webhook.recover", target: "\(endpointID.rawValue) deliveries=\(failed.count)"),
                ], value: failed.count)
        }
    }

    /// A `ping` event delivered to this endpoint only.
    public func sendWebhookTest(_ id: String, in organization: OrganizationID, by actor: Actor)
        async throws(EngineError) -> WebhookEventRecord
    {
        try actor.authorize(.testWebhookEndpoint, in: organization)
        let endpointID = try Self.endpointID(id)
        return try await engine(organization).execute { (state, _) throws(EngineError) in
            try Self.requireEnabled(endpointID, in: state)
            let ping = TenantEngine.webhookEvent(.ping, .ping, nil, in: state, only: endpointID)
            return Decision(
                events: [.webhookEventCreated(ping), actor.audit("webhook.test", target: endpointID.rawValue)],
                value: ping.eventID)
        } thenRead: { (state, eventID) throws(EngineError) in
            guard let event = state.webhookEvents[eventID] else { throw EngineError.notFound("event") }
            return event
        }
    }

    static func requireEnabled(_ endpoint: WebhookEndpointID, in state: TenantState) throws(EngineError) {
        guard let record = state.webhookEndpoints[endpoint] else { throw EngineError.notFound("webhook endpoint") }
        guard record.enabled else {
            throw EngineError(
                .conflict,
                "webhook endpoint \(endpoint) is disabled\(record.disabledReason.map { " (\($0))" } ?? ""): enable it "
                    + "with PATCH /v1/webhook-endpoints/\(endpoint) {\"enabled\": true} first")
        }
    }
}
