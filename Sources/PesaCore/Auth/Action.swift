/// Everything a caller can ask of the gateway: one case per route of the HTTP contract (the dashboard's pages use
/// the same actions). The permission matrix is `requirement`, in one switch.
public enum Action: String, Sendable, CaseIterable, CustomStringConvertible {
    // Auth and administration
    case login, logout, changePassword
    case createOrganization, listOrganizations, readOrganization, updateOrganization
    /// PATCH of `plan`, `status` or `rate_limit` of an organization: billing, so super_admin only.
    case updateOrganizationBilling, rotateCallbackToken
    case createUser, listUsers, updateUser, deleteUser
    case createAPIKey, listAPIKeys, revokeAPIKey
    case updateCredentials, readCredentials
    case createShortCode, listShortCodes, readShortCode, updateShortCode, deleteShortCode, verifyShortCode
    case readAuditLog, verifyAuditLog
    // Payments
    case createSTKPush, readPayment, listTransactions
    case createPayout, createPayoutBatch, readPayoutBatch
    /// Maker-checker: an org_admin other than the batch's creator approves or rejects it.
    case approvePayoutBatch, rejectPayoutBatch, cancelPayoutBatch, retryPayoutBatch, updatePayoutBatchSettings
    case createReversal
    case createBalanceCheck, readBalance
    case createTransactionStatusQuery
    case registerC2BURLs
    /// A C2B payment made up by Daraja's sandbox (sandbox credentials only).
    case simulateC2B
    /// Callbacks that settled nothing (orphan or malformed), as received.
    case listUnmatchedCallbacks
    /// Daraja's callbacks: unauthenticated, the org slug and callback token in the path are the check.
    case receiveCallback
    // Webhooks
    case createWebhookEndpoint, listWebhookEndpoints, deleteWebhookEndpoint, rotateWebhookSecret
    case listWebhookDeliveries, retryWebhookDelivery
    case updateWebhookEndpoint, testWebhookEndpoint, recoverWebhookDeliveries, listEvents
    // Billing, usage, reports
    case readSubscription, readUsage, listInvoices, readInvoice, updateSubscription, payInvoice
    case readReportSummary, exportTransactionsCSV
    case readAllUsage, listPlans, managePlans, manageBilling
    // Operations
    case health, readiness, metrics, openAPI

    public var description: String { rawValue }

    public enum Requirement: Sendable, Equatable {
        /// No authentication (login, health, callbacks with their own check).
        case anyone
        /// An authenticated caller whose role is at least this one.
        case atLeast(Role)
    }

    /// The written permission matrix.
    public var requirement: Requirement {
        switch self {
        case .login, .receiveCallback, .health, .readiness, .metrics, .openAPI:
            .anyone
        case .logout, .changePassword, .createSTKPush, .readPayment, .listTransactions:
            .atLeast(.user)
        case .readCredentials, .createPayout, .createPayoutBatch, .readPayoutBatch, .cancelPayoutBatch,
            .retryPayoutBatch, .createBalanceCheck,
            .readBalance, .createTransactionStatusQuery, .readUsage, .readReportSummary, .exportTransactionsCSV,
            .listUnmatchedCallbacks, .simulateC2B, .listShortCodes, .readShortCode:
            .atLeast(.manager)
        case .listOrganizations, .readOrganization, .updateOrganization, .rotateCallbackToken, .createUser, .listUsers,
            .updateUser,
            .deleteUser, .createAPIKey, .listAPIKeys, .revokeAPIKey, .updateCredentials, .readAuditLog,
            .verifyAuditLog, .createReversal, .registerC2BURLs, .createWebhookEndpoint, .listWebhookEndpoints,
            .deleteWebhookEndpoint, .rotateWebhookSecret, .listWebhookDeliveries, .retryWebhookDelivery,
            .updateWebhookEndpoint, .testWebhookEndpoint, .recoverWebhookDeliveries, .listEvents,
            .readSubscription, .listInvoices, .readInvoice, .updateSubscription, .payInvoice, .createShortCode,
            .updateShortCode, .deleteShortCode, .verifyShortCode, .approvePayoutBatch, .rejectPayoutBatch,
            .updatePayoutBatchSettings:
            .atLeast(.orgAdmin)
        case .createOrganization, .updateOrganizationBilling, .readAllUsage, .listPlans, .managePlans, .manageBilling:
            .atLeast(.superAdmin)
        }
    }

    /// Whether the action moves money (audited, idempotent, refused while the subscription is not active).
    public var movesMoney: Bool {
        switch self {
        case .createSTKPush, .createPayout, .createPayoutBatch, .retryPayoutBatch, .createReversal: true
        default: false
        }
    }
}
