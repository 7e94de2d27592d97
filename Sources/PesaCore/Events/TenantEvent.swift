/// Everything that can happen to a tenant (an organization), as journaled. Each case has a stable `type`
/// string and a payload struct whose canonical JSON is the journal line's `data`
/// (data-layout.md lists every field). Times are integer milliseconds, money integer minor
/// units, secrets never appear (only hashes and masked hints).
public enum TenantEvent: Sendable, Equatable {
    case organizationCreated(OrganizationCreated)
    case organizationUpdated(OrganizationUpdated)
    case userCreated(UserCreated)
    case userUpdated(UserUpdated)
    case userDeleted(UserDeleted)
    case apiKeyCreated(APIKeyCreated)
    case apiKeyRevoked(APIKeyRevoked)
    case tokenRevoked(TokenRevoked)
    case credentialsUpdated(CredentialsUpdated)
    case auditRecorded(AuditRecorded)
    case stkPushRequested(STKPushRequested)
    case b2cRequested(B2CRequested)
    case reversalRequested(ReversalRequested)
    case c2bReceived(C2BReceived)
    case paymentAccepted(PaymentAccepted)
    case paymentUpstreamFailed(PaymentUpstreamFailed)
    case callbackReceived(CallbackReceived)
    case paymentSettled(PaymentSettled)
    case reconciliationAttempted(ReconciliationAttempted)
    case batchCreated(BatchCreated)
    case balanceUpdated(BalanceUpdated)
    case idempotencyRecorded(IdempotencyRecorded)
    case webhookEndpointCreated(WebhookEndpointCreated)
    case webhookSecretRotated(WebhookSecretRotated)
    case webhookEndpointDeleted(WebhookEndpointDeleted)
    case usageRecorded(UsageRecorded)
    case querySent(QuerySent)
    case queryCompleted(QueryCompleted)
    case c2bValidationSet(C2BValidationSet)
    case shortCodeSaved(ShortCodeSaved)
    case shortCodeDeleted(ShortCodeDeleted)
    case shortCodeVerified(ShortCodeVerified)
    case shortCodeClaimed(ShortCodeClaimed)
    case shortCodeReleased(ShortCodeClaimed)
    case planSaved(Plan)
    case subscriptionUpdated(SubscriptionUpdated)
    case invoiceSaved(Invoice)
    case billingSettingsSaved(BillingSettings)
    case invoiceNumbered(InvoiceNumbered)
    case invoicePaymentStarted(InvoicePaymentStarted)
    case batchItemsAdded(BatchItemsAdded)
    case batchChanged(BatchChanged)
    case batchSettingsSaved(BatchSettings)
    case webhookEndpointUpdated(WebhookEndpointUpdated)
    case webhookEventCreated(WebhookEventCreated)
    case webhookDeliveryAttempted(WebhookDeliveryAttempted)
    case webhookDeliveriesQueued(WebhookDeliveriesQueued)
    case c2bValidationReferencesAdded(C2BValidationReferencesAdded)

    /// Every event type string (in the order the types were introduced).
    public static let allTypes: [String] = [
        "organization.created", "organization.updated", "user.created", "user.updated", "user.deleted",
        "api_key.created", "api_key.revoked", "credentials.updated", "audit.recorded",
        "payment.stk_requested", "payment.b2c_requested", "payment.reversal_requested", "payment.c2b_received",
        "payment.accepted", "payment.upstream_failed", "callback.received", "payment.settled",
        "payment.reconcile_attempted", "batch.created", "balance.updated", "idempotency.recorded",
        "webhook_endpoint.created", "webhook_endpoint.secret_rotated", "webhook_endpoint.deleted", "usage.recorded",
        "query.sent", "query.completed", "c2b.validation_set",
        "token.revoked", "short_code.saved", "short_code.deleted", "short_code.verified",
        "short_code.claimed", "short_code.released", "plan.saved",
        "subscription.updated", "invoice.saved", "billing.settings_saved", "invoice.numbered",
        "invoice.payment_started", "batch.items_added", "batch.changed", "batch.settings_saved",
        "webhook_endpoint.updated", "webhook.event_created", "webhook.delivery_attempted", "webhook.deliveries_queued",
        "c2b.validation_references_added",
    ]

    /// The stable type string written in the journal.
    public var type: String {
        switch self {
        case .organizationCreated: "organization.created"
        case .organizationUpdated: "organization.updated"
        case .userCreated: "user.created"
        case .userUpdated: "user.updated"
        case .userDeleted: "user.deleted"
        case .apiKeyCreated: "api_key.created"
        case .apiKeyRevoked: "api_key.revoked"
        case .credentialsUpdated: "credentials.updated"
        case .auditRecorded: "audit.recorded"
        case .stkPushRequested: "payment.stk_requested"
        case .b2cRequested: "payment.b2c_requested"
        case .reversalRequested: "payment.reversal_requested"
        case .c2bReceived: "payment.c2b_received"
        case .paymentAccepted: "payment.accepted"
        case .paymentUpstreamFailed: "payment.upstream_failed"
        case .callbackReceived: "callback.received"
        case .paymentSettled: "payment.settled"
        case .reconciliationAttempted: "payment.reconcile_attempted"
        case .batchCreated: "batch.created"
        case .balanceUpdated: "balance.updated"
        case .idempotencyRecorded: "idempotency.recorded"
        case .webhookEndpointCreated: "webhook_endpoint.created"
        case .webhookSecretRotated: "webhook_endpoint.secret_rotated"
        case .webhookEndpointDeleted: "webhook_endpoint.deleted"
        case .usageRecorded: "usage.recorded"
        case .querySent: "query.sent"
        case .queryCompleted: "query.completed"
        case .c2bValidationSet: "c2b.validation_set"
        case .c2bValidationReferencesAdded: "c2b.validation_references_added"
        case .tokenRevoked: "token.revoked"
        case .shortCodeSaved: "short_code.saved"
        case .shortCodeDeleted: "short_code.deleted"
        case .shortCodeVerified: "short_code.verified"
        case .shortCodeClaimed: "short_code.claimed"
        case .shortCodeReleased: "short_code.released"
        case .planSaved: "plan.saved"
        case .subscriptionUpdated: "subscription.updated"
        case .invoiceSaved: "invoice.saved"
        case .billingSettingsSaved: "billing.settings_saved"
        case .invoiceNumbered: "invoice.numbered"
        case .invoicePaymentStarted: "invoice.payment_started"
        case .batchItemsAdded: "batch.items_added"
        case .batchChanged: "batch.changed"
        case .batchSettingsSaved: "batch.settings_saved"
        case .webhookEndpointUpdated: "webhook_endpoint.updated"
        case .webhookEventCreated: "webhook.event_created"
        case .webhookDeliveryAttempted: "webhook.delivery_attempted"
        case .webhookDeliveriesQueued: "webhook.deliveries_queued"
        }
    }
}
