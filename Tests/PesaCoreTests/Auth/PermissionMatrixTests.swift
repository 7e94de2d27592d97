import PesaCore
import Testing

/// The permission matrix written out as a table: the least role each action needs (nil: anyone).
/// Every action of `Action.allCases` must appear here, so a new route cannot go untested.
@Suite struct PermissionMatrixTests {
    static let minimumRole: [Action: Role?] = [
        .login: nil, .receiveCallback: nil, .health: nil, .readiness: nil, .metrics: nil, .openAPI: nil,
        .logout: .user, .createSTKPush: .user, .readPayment: .user, .listTransactions: .user,
        .readCredentials: .manager, .createPayout: .manager, .createPayoutBatch: .manager,
        .readPayoutBatch: .manager, .cancelPayoutBatch: .manager, .retryPayoutBatch: .manager,
        .approvePayoutBatch: .orgAdmin, .rejectPayoutBatch: .orgAdmin, .updatePayoutBatchSettings: .orgAdmin,
        .createBalanceCheck: .manager, .readBalance: .manager,
        .createTransactionStatusQuery: .manager, .readUsage: .manager, .readReportSummary: .manager,
        .exportTransactionsCSV: .manager, .simulateC2B: .manager,
        .listOrganizations: .orgAdmin, .readOrganization: .orgAdmin, .updateOrganization: .orgAdmin,
        .createUser: .orgAdmin, .listUsers: .orgAdmin, .updateUser: .orgAdmin, .deleteUser: .orgAdmin,
        .createAPIKey: .orgAdmin, .listAPIKeys: .orgAdmin, .revokeAPIKey: .orgAdmin,
        .updateCredentials: .orgAdmin, .readAuditLog: .orgAdmin, .verifyAuditLog: .orgAdmin,
        .createReversal: .orgAdmin, .registerC2BURLs: .orgAdmin, .listUnmatchedCallbacks: .manager,
        .changePassword: .user, .createWebhookEndpoint: .orgAdmin,
        .listWebhookEndpoints: .orgAdmin, .deleteWebhookEndpoint: .orgAdmin, .rotateWebhookSecret: .orgAdmin,
        .listWebhookDeliveries: .orgAdmin, .retryWebhookDelivery: .orgAdmin, .readSubscription: .orgAdmin,
        .updateWebhookEndpoint: .orgAdmin, .testWebhookEndpoint: .orgAdmin, .recoverWebhookDeliveries: .orgAdmin,
        .listEvents: .orgAdmin,
        .listInvoices: .orgAdmin, .readInvoice: .orgAdmin, .rotateCallbackToken: .orgAdmin,
        .createOrganization: .superAdmin, .updateOrganizationBilling: .superAdmin, .readAllUsage: .superAdmin,
        .listShortCodes: .manager, .readShortCode: .manager, .createShortCode: .orgAdmin, .updateShortCode: .orgAdmin,
        .deleteShortCode: .orgAdmin, .verifyShortCode: .orgAdmin, .listPlans: .superAdmin, .managePlans: .superAdmin,
        .updateSubscription: .orgAdmin, .payInvoice: .orgAdmin, .manageBilling: .superAdmin,
    ]

    @Test func tableCoversEveryAction() {
        #expect(Set(Self.minimumRole.keys) == Set(Action.allCases))
    }

    @Test(arguments: Action.allCases, Role.allCases)
    func roleMayDoActionExactlyWhenTheTableSays(action: Action, role: Role) throws {
        let minimum = try #require(Self.minimumRole[action])
        let expected = minimum.map { role.rank >= $0.rank } ?? true
        #expect(role.permits(action) == expected, "\(role) \(action)")
    }

    @Test func moneyMovingActions() {
        let moving = Action.allCases.filter(\.movesMoney)
        #expect(Set(moving) == [.createSTKPush, .createPayout, .createPayoutBatch, .retryPayoutBatch, .createReversal])
    }
}
