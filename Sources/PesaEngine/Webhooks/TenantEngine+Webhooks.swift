import Logging
import PesaCore

extension TenantEngine {
    /// The `webhook.event_created` lines a command's events give rise to (`WebhookTriggers`), applied to the
    /// state: each with a delivery to every enabled endpoint subscribed to its type.
    static func webhookEvents(
        _ events: [TenantEvent], before: WebhookTriggers.Before, state: inout TenantState, seq: UInt64,
        context: CommandContext, logger: Logger
    ) -> [TenantEvent] {
        var created: [TenantEvent] = []
        for fired in WebhookTriggers.fired(events, before: before, after: state) {
            let event = TenantEvent.webhookEventCreated(
                webhookEvent(fired.type, fired.subject, fired.subjectID, in: state))
            do {
                try state.apply(event, seq: seq + UInt64(created.count), atMs: context.nowMs)
                created.append(event)
            } catch {
                logger.error("a webhook event was refused by the state", metadata: ["error": "\(error)"])
            }
        }
        return created
    }

    /// A new event with a delivery to every enabled endpoint of the organization subscribed to `type` (or, for a
    /// `ping`, to `only`).
    static func webhookEvent(
        _ type: WebhookEventType, _ subject: WebhookSubjectKind, _ subjectID: String?, in state: TenantState,
        only: WebhookEndpointID? = nil
    ) -> TenantEvent.WebhookEventCreated {
        let endpoints = state.webhookEndpoints.values.filter { endpoint in
            endpoint.enabled && (only.map { endpoint.id == $0 } ?? endpoint.subscribes(to: type.rawValue))
        }
        return TenantEvent.WebhookEventCreated(
            eventID: EventID(randomBytes: CommandContext.randomBytes(16)), type: type, subject: subject,
            subjectID: subjectID,
            deliveries: endpoints.sorted { $0.id < $1.id }.map {
                TenantEvent.WebhookEventCreated.Delivery(
                    deliveryID: WebhookDeliveryID(randomBytes: CommandContext.randomBytes(16)), endpointID: $0.id)
            })
    }
}
