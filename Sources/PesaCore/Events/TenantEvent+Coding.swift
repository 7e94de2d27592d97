import Foundation

extension TenantEvent {
    /// The event's `data` as canonical JSON: sorted keys, no whitespace, slashes not escaped, absent
    /// optionals omitted, integers for times (ms) and money (minor units). Equal events give equal bytes.
    public func canonicalData() -> [UInt8] {
        switch self {
        case .organizationCreated(let data): Self.canonicalJSON(data)
        case .organizationUpdated(let data): Self.canonicalJSON(data)
        case .userCreated(let data): Self.canonicalJSON(data)
        case .userUpdated(let data): Self.canonicalJSON(data)
        case .userDeleted(let data): Self.canonicalJSON(data)
        case .apiKeyCreated(let data): Self.canonicalJSON(data)
        case .apiKeyRevoked(let data): Self.canonicalJSON(data)
        case .credentialsUpdated(let data): Self.canonicalJSON(data)
        case .auditRecorded(let data): Self.canonicalJSON(data)
        case .stkPushRequested(let data): Self.canonicalJSON(data)
        case .b2cRequested(let data): Self.canonicalJSON(data)
        case .reversalRequested(let data): Self.canonicalJSON(data)
        case .c2bReceived(let data): Self.canonicalJSON(data)
        case .paymentAccepted(let data): Self.canonicalJSON(data)
        case .paymentUpstreamFailed(let data): Self.canonicalJSON(data)
        case .callbackReceived(let data): Self.canonicalJSON(data)
        case .paymentSettled(let data): Self.canonicalJSON(data)
        case .reconciliationAttempted(let data): Self.canonicalJSON(data)
        case .batchCreated(let data): Self.canonicalJSON(data)
        case .balanceUpdated(let data): Self.canonicalJSON(data)
        case .idempotencyRecorded(let data): Self.canonicalJSON(data)
        case .webhookEndpointCreated(let data): Self.canonicalJSON(data)
        case .webhookSecretRotated(let data): Self.canonicalJSON(data)
        case .webhookEndpointDeleted(let data): Self.canonicalJSON(data)
        case .usageRecorded(let data): Self.canonicalJSON(data)
        case .querySent(let data): Self.canonicalJSON(data)
        case .queryCompleted(let data): Self.canonicalJSON(data)
        case .c2bValidationSet(let data): Self.canonicalJSON(data)
        case .c2bValidationReferencesAdded(let data): Self.canonicalJSON(data)
        case .tokenRevoked(let data): Self.canonicalJSON(data)
        case .shortCodeSaved(let data): Self.canonicalJSON(data)
        case .shortCodeDeleted(let data): Self.canonicalJSON(data)
        case .shortCodeVerified(let data): Self.canonicalJSON(data)
        case .shortCodeClaimed(let data): Self.canonicalJSON(data)
        case .shortCodeReleased(let data): Self.canonicalJSON(data)
        case .planSaved(let data): Self.canonicalJSON(data)
        case .subscriptionUpdated(let data): Self.canonicalJSON(data)
        case .invoiceSaved(let data): Self.canonicalJSON(data)
        case .billingSettingsSaved(let data): Self.canonicalJSON(data)
        case .invoiceNumbered(let data): Self.canonicalJSON(data)
        case .invoicePaymentStarted(let data): Self.canonicalJSON(data)
        case .batchItemsAdded(let data): Self.canonicalJSON(data)
        case .batchChanged(let data): Self.canonicalJSON(data)
        case .batchSettingsSaved(let data): Self.canonicalJSON(data)
        case .webhookEndpointUpdated(let data): Self.canonicalJSON(data)
        case .webhookEventCreated(let data): Self.canonicalJSON(data)
        case .webhookDeliveryAttempted(let data): Self.canonicalJSON(data)
        case .webhookDeliveriesQueued(let data): Self.canonicalJSON(data)
        }
    }

    /// Reads an event from its journal `type` and `data`. Unknown types and unreadable data throw.
    public init(type: String, data: ArraySlice<UInt8>) throws(PesaCoreError) {
        switch type {
        case "organization.created": self = .organizationCreated(try Self.decode(data, type))
        case "organization.updated": self = .organizationUpdated(try Self.decode(data, type))
        case "user.created": self = .userCreated(try Self.decode(data, type))
        case "user.updated": self = .userUpdated(try Self.decode(data, type))
        case "user.deleted": self = .userDeleted(try Self.decode(data, type))
        case "api_key.created": self = .apiKeyCreated(try Self.decode(data, type))
        case "api_key.revoked": self = .apiKeyRevoked(try Self.decode(data, type))
        case "credentials.updated": self = .credentialsUpdated(try Self.decode(data, type))
        case "audit.recorded": self = .auditRecorded(try Self.decode(data, type))
        case "payment.stk_requested": self = .stkPushRequested(try Self.decode(data, type))
        case "payment.b2c_requested": self = .b2cRequested(try Self.decode(data, type))
        case "payment.reversal_requested": self = .reversalRequested(try Self.decode(data, type))
        case "payment.c2b_received": self = .c2bReceived(try Self.decode(data, type))
        case "payment.accepted": self = .paymentAccepted(try Self.decode(data, type))
        case "payment.upstream_failed": self = .paymentUpstreamFailed(try Self.decode(data, type))
        case "callback.received": self = .callbackReceived(try Self.decode(data, type))
        case "payment.settled": self = .paymentSettled(try Self.decode(data, type))
        case "payment.reconcile_attempted": self = .reconciliationAttempted(try Self.decode(data, type))
        case "batch.created": self = .batchCreated(try Self.decode(data, type))
        case "balance.updated": self = .balanceUpdated(try Self.decode(data, type))
        case "idempotency.recorded": self = .idempotencyRecorded(try Self.decode(data, type))
        case "webhook_endpoint.created": self = .webhookEndpointCreated(try Self.decode(data, type))
        case "webhook_endpoint.secret_rotated": self = .webhookSecretRotated(try Self.decode(data, type))
        case "webhook_endpoint.deleted": self = .webhookEndpointDeleted(try Self.decode(data, type))
        case "usage.recorded": self = .usageRecorded(try Self.decode(data, type))
        case "query.sent": self = .querySent(try Self.decode(data, type))
        case "query.completed": self = .queryCompleted(try Self.decode(data, type))
        case "c2b.validation_set": self = .c2bValidationSet(try Self.decode(data, type))
        case "c2b.validation_references_added": self = .c2bValidationReferencesAdded(try Self.decode(data, type))
        case "short_code.saved": self = .shortCodeSaved(try Self.decode(data, type))
        case "short_code.deleted": self = .shortCodeDeleted(try Self.decode(data, type))
        case "short_code.verified": self = .shortCodeVerified(try Self.decode(data, type))
        case "short_code.claimed": self = .shortCodeClaimed(try Self.decode(data, type))
        case "short_code.released": self = .shortCodeReleased(try Self.decode(data, type))
        case "plan.saved": self = .planSaved(try Self.decode(data, type))
        case "subscription.updated": self = .subscriptionUpdated(try Self.decode(data, type))
        case "invoice.saved": self = .invoiceSaved(try Self.decode(data, type))
        case "billing.settings_saved": self = .billingSettingsSaved(try Self.decode(data, type))
        case "invoice.numbered": self = .invoiceNumbered(try Self.decode(data, type))
        case "invoice.payment_started": self = .invoicePaymentStarted(try Self.decode(data, type))
        case "token.revoked": self = .tokenRevoked(try Self.decode(data, type))
        case "batch.items_added": self = .batchItemsAdded(try Self.decode(data, type))
        case "batch.changed": self = .batchChanged(try Self.decode(data, type))
        case "batch.settings_saved": self = .batchSettingsSaved(try Self.decode(data, type))
        case "webhook_endpoint.updated": self = .webhookEndpointUpdated(try Self.decode(data, type))
        case "webhook.event_created": self = .webhookEventCreated(try Self.decode(data, type))
        case "webhook.delivery_attempted": self = .webhookDeliveryAttempted(try Self.decode(data, type))
        case "webhook.deliveries_queued": self = .webhookDeliveriesQueued(try Self.decode(data, type))
        default: throw .unknownEventType(type)
        }
    }

    static func canonicalJSON(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            preconditionFailure("an event payload always encodes: \(error)")
        }
    }

    static func decode<Payload: Decodable>(_ data: ArraySlice<UInt8>, _ type: String) throws(PesaCoreError) -> Payload {
        do {
            return try JSONDecoder().decode(Payload.self, from: Data(data))
        } catch let DecodingError.keyNotFound(key, _) {
            throw .invalidEventData("\(type): missing \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .invalidEventData("\(type): wrong type at \(Self.path(context.codingPath))")
        } catch let DecodingError.dataCorrupted(context) {
            let path = Self.path(context.codingPath)
            throw .invalidEventData("\(type): bad value at \(path): \(context.debugDescription)")
        } catch {
            throw .invalidEventData("\(type): unreadable data: \(error)")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "top level" : codingPath.map(\.stringValue).joined(separator: ".")
    }
}
