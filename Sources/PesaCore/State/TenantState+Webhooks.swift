extension TenantState {
    /// `webhook_endpoint.*` and `webhook.*` lines.
    mutating func reduceWebhook(_ event: TenantEvent, atMs: Int64) {
        switch event {
        case .webhookEndpointCreated(let data):
            webhookEndpoints[data.endpointID] = WebhookEndpointRecord(
                id: data.endpointID, url: data.url, events: data.events, description: data.description,
                enabled: data.enabled ?? true, disabledReason: nil, secretHint: data.secretHint,
                previousSecretValidUntilMs: nil, failingSinceMs: nil, createdAtMs: atMs, updatedAtMs: atMs)
        case .webhookEndpointUpdated(let data):
            guard var endpoint = webhookEndpoints[data.endpointID] else { return }
            if let url = data.url { endpoint.url = url }
            if let events = data.events { endpoint.events = events }
            if let description = data.description { endpoint.description = description.isEmpty ? nil : description }
            if let enabled = data.enabled {
                endpoint.enabled = enabled
                endpoint.disabledReason = enabled ? nil : data.disabledReason
                if enabled { endpoint.failingSinceMs = nil }
            }
            endpoint.updatedAtMs = atMs
            webhookEndpoints[data.endpointID] = endpoint
        case .webhookSecretRotated(let data):
            webhookEndpoints[data.endpointID]?.secretHint = data.secretHint
            webhookEndpoints[data.endpointID]?.previousSecretValidUntilMs = data.previousValidUntilMs
            webhookEndpoints[data.endpointID]?.updatedAtMs = atMs
        case .webhookEndpointDeleted(let data):
            webhookEndpoints[data.endpointID] = nil
        case .webhookEventCreated(let data):
            webhookEvents[data.eventID] = WebhookEventRecord(
                id: data.eventID, type: data.type, subject: data.subject, subjectID: data.subjectID,
                createdAtMs: atMs, deliveries: data.deliveries.map(\.deliveryID))
            webhookEventOrder.append(data.eventID)
            for delivery in data.deliveries {
                webhookDeliveries[delivery.deliveryID] = WebhookDeliveryRecord(
                    id: delivery.deliveryID, eventID: data.eventID, endpointID: delivery.endpointID, status: .pending,
                    attempts: [], scheduledAttempts: 0, nextAttemptAtMs: atMs, createdAtMs: atMs, updatedAtMs: atMs)
                pendingWebhookDeliveries.insert(delivery.deliveryID)
                webhookSchedule.schedule(delivery.deliveryID, atMs: atMs)
            }
            trimWebhookEvents()
        case .webhookDeliveryAttempted(let data):
            recordAttempt(data, atMs: atMs)
        case .webhookDeliveriesQueued(let data):
            for id in data.deliveryIDs {
                guard var delivery = webhookDeliveries[id] else { continue }
                if data.reason == .endpointStopped {
                    delivery.status = .failed
                    delivery.nextAttemptAtMs = nil
                    pendingWebhookDeliveries.remove(id)
                    webhookSchedule.schedule(id, atMs: nil)
                } else {
                    delivery.status = .pending
                    delivery.scheduledAttempts = 0
                    delivery.nextAttemptAtMs = atMs
                    pendingWebhookDeliveries.insert(id)
                    webhookSchedule.schedule(id, atMs: atMs)
                }
                delivery.updatedAtMs = atMs
                webhookDeliveries[id] = delivery
            }
        default:
            preconditionFailure("not a webhook event")
        }
    }

    private mutating func recordAttempt(_ data: TenantEvent.WebhookDeliveryAttempted, atMs: Int64) {
        guard var delivery = webhookDeliveries[data.deliveryID] else { return }
        delivery.attempts.append(data.attempt)
        if delivery.attempts.count > Limits.webhookAttemptsKeptMax {
            delivery.attempts.removeFirst(delivery.attempts.count - Limits.webhookAttemptsKeptMax)
        }
        delivery.scheduledAttempts += 1
        delivery.status = data.status
        delivery.nextAttemptAtMs = data.status == .pending ? data.nextAttemptAtMs : nil
        delivery.updatedAtMs = atMs
        webhookDeliveries[data.deliveryID] = delivery
        webhookSchedule.schedule(data.deliveryID, atMs: delivery.nextAttemptAtMs)
        if data.status == .pending {
            pendingWebhookDeliveries.insert(data.deliveryID)
        } else {
            pendingWebhookDeliveries.remove(data.deliveryID)
        }
        if data.status == .succeeded {
            webhooksDeliveredByMonth[KenyaTime.monthKey(ms: atMs), default: 0] += 1
            webhookEndpoints[delivery.endpointID]?.failingSinceMs = nil
        } else if webhookEndpoints[delivery.endpointID]?.failingSinceMs == nil {
            webhookEndpoints[delivery.endpointID]?.failingSinceMs = data.attempt.atMs
        }
    }

    /// Past `Limits.webhookEventsKeptMax` events, the oldest thousand whose deliveries are all over leave memory.
    private mutating func trimWebhookEvents() {
        guard webhookEventOrder.count > Limits.webhookEventsKeptMax + 1_000 else { return }
        var kept: [EventID] = []
        for id in webhookEventOrder.prefix(1_000) {
            guard let event = webhookEvents[id] else { continue }
            if event.deliveries.contains(where: pendingWebhookDeliveries.contains) {
                kept.append(id)
                continue
            }
            for delivery in event.deliveries { webhookDeliveries[delivery] = nil }
            webhookEvents[id] = nil
        }
        webhookEventOrder = kept + webhookEventOrder.dropFirst(1_000)
    }

    /// `pendingWebhookDeliveries` and `webhookSchedule` from the deliveries (derived, never written).
    mutating func indexWebhookDeliveries() {
        pendingWebhookDeliveries = Set(webhookDeliveries.values.lazy.filter { $0.status == .pending }.map(\.id))
        webhookSchedule = WebhookSchedule(webhookDeliveries.values)
    }

    /// Checks of the webhook lines: the reducer may then index without looking.
    func validateWebhook(_ event: TenantEvent) throws(PesaCoreError) {
        switch event {
        case .webhookEndpointCreated(let data):
            guard webhookEndpoints[data.endpointID] == nil else {
                throw .inconsistentEvent("webhook endpoint \(data.endpointID) already exists")
            }
        case .webhookEndpointUpdated(let data):
            guard webhookEndpoints[data.endpointID] != nil else { throw .inconsistentEvent("no endpoint") }
        case .webhookSecretRotated(let data):
            guard webhookEndpoints[data.endpointID] != nil else { throw .inconsistentEvent("no endpoint") }
        case .webhookEndpointDeleted(let data):
            guard webhookEndpoints[data.endpointID] != nil else { throw .inconsistentEvent("no endpoint") }
        case .webhookEventCreated(let data):
            guard webhookEvents[data.eventID] == nil else { throw .inconsistentEvent("event \(data.eventID) exists") }
            for delivery in data.deliveries {
                guard webhookEndpoints[delivery.endpointID] != nil, webhookDeliveries[delivery.deliveryID] == nil
                else { throw .inconsistentEvent("delivery \(delivery.deliveryID): no endpoint, or it exists") }
            }
        case .webhookDeliveryAttempted(let data):
            guard webhookDeliveries[data.deliveryID]?.status == .pending else {
                throw .inconsistentEvent("delivery \(data.deliveryID) is not pending")
            }
            guard data.status != .pending || data.nextAttemptAtMs != nil else {
                throw .inconsistentEvent("a pending delivery needs its next attempt time")
            }
        case .webhookDeliveriesQueued(let data):
            for id in data.deliveryIDs {
                guard let delivery = webhookDeliveries[id] else { throw .inconsistentEvent("no delivery \(id)") }
                guard (delivery.status == .pending) == (data.reason == .endpointStopped) else {
                    throw .inconsistentEvent("delivery \(id) cannot be \(data.reason.rawValue)")
                }
            }
        default:
            preconditionFailure("not a webhook event")
        }
    }

    /// The organization's events, newest first.
    public var webhookEventsNewestFirst: ReversedCollection<[EventID]> { webhookEventOrder.reversed() }
}
