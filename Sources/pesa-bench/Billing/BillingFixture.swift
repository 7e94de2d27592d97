import Foundation
import PesaCLI
import PesaCore
import PesaEngine
import PesaStore

/// The data folder of the billing benchmark: `organizations` tenants, each on a paid plan (`business` or
/// `starter`, active since before `month`) with `payments` STK pushes and payouts started over that Kenya month
/// (most settled, some failed) and three `usage.recorded` events. Each tenant's state is built in memory with
/// `TenantState.apply` and written as a snapshot, so that ten million payments never go through the API, and
/// its last event is a real journal line after it; the `system/` folder is made by a gateway started once on
/// it (the plan catalog seeded).
struct BillingFixture {
    let organizations: Int
    let payments: Int
    let month: String

    /// Every fifth payment is a payout (B2C), the others STK pushes; every tenth one fails.
    static let payoutEvery = 5
    static let failureEvery = 10

    /// Builds the data folder at `root` (which must not exist yet), tenants in parallel.
    func build(root: String) async throws {
        guard let range = KenyaTime.month(month) else { throw CLIError("not a month: \(month)") }
        let data = DataDirectory(root: root)
        try data.prepare()
        let gateway = try await Gateway.start(data: data, masterKey: Self.masterKey, logger: CLI.quietLogger)
        await gateway.close()
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for index in stride(from: worker, to: organizations, by: workers) {
                        try await buildTenant(index: index, data: data, range: range)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The gateway's master key in every run (nothing is encrypted with it: the fixture has no credentials).
    static let masterKey: MasterKey = {
        guard let key = try? MasterKey(bytes: Array(repeating: 0x42, count: MasterKey.byteCount)) else {
            preconditionFailure("a master key is \(MasterKey.byteCount) bytes")
        }
        return key
    }()

    static func organizationID(index: Int) -> OrganizationID {
        var random = SplitMix(seed: 0xB111 &+ UInt64(index))
        return OrganizationID(randomBytes: random.bytes(16))
    }

    static func slug(index: Int) -> String { "bench-org-\(String(format: "%05d", index))" }

    private func buildTenant(index: Int, data: DataDirectory, range: (startMs: Int64, endMs: Int64)) async throws {
        let organization = Self.organizationID(index: index)
        let tenantID = organization.rawValue
        // Created two weeks before the month, so the whole month is billed.
        let createdAtMs = range.startMs - 14 * 86_400_000
        let name = "Bench \(index)"
        try data.createTenant(
            TenantManifest(id: tenantID, slug: Self.slug(index: index), name: name, createdAtMs: createdAtMs))
        var state = TenantState()
        var seq: UInt64 = 0
        func apply(_ event: TenantEvent, atMs: Int64) throws {
            seq += 1
            try state.apply(event, seq: seq, atMs: atMs)
        }
        try apply(
            .organizationCreated(.init(
                organizationID: organization, name: name, slug: try OrgSlug(Self.slug(index: index)),
                plan: index % 2 == 0 ? "business" : "starter", subscriptionStatus: .active,
                currentPeriodStartMs: createdAtMs, currentPeriodEndMs: range.startMs,
                callbackToken: "benchtoken\(index)")),
            atMs: createdAtMs)
        var random = SplitMix(seed: 0xB1_11_00_00 &+ UInt64(index))
        // Payments evenly over the month; the API calls of the month journaled in three parts along the way, the
        // last one in the journal after the snapshot (a tenant in use has a live journal segment).
        let spacingMs = (range.endMs - range.startMs - 3_600_000) / Int64(max(payments, 1))
        let callsPerPart: Int64 = index % 3 == 0 ? 9_000 : 1_500
        var usageParts = 0
        for payment in 0..<payments {
            let atMs = range.startMs + Int64(payment) * spacingMs
            while usageParts < 2, payments * usageParts / 2 <= payment {
                try apply(.usageRecorded(.init(month: month, apiCalls: callsPerPart)), atMs: atMs)
                usageParts += 1
            }
            for (offset, event) in try paymentEvents(payment, random: &random).enumerated() {
                try apply(event, atMs: atMs + Int64(offset) * 1_000)
            }
        }
        let directory = data.tenantDirectory(tenantID)
        let (store, _, _) = try TenantStore.open(
            directory: directory, tenantID: tenantID, as: TenantState.self, io: PosixFileIO(), logger: CLI.quietLogger)
        let anchor = JournalPosition(seq: seq, hash: ChainHash.of(Array("bench-billing-\(tenantID)-\(seq)".utf8)))
        try await store.writeSnapshot(state, at: anchor, atMs: state.lastAtMs)
        await store.close()
        let (reopened, _, _) = try TenantStore.open(
            directory: directory, tenantID: tenantID, as: TenantState.self, io: PosixFileIO(), logger: CLI.quietLogger)
        let tail = TenantEvent.usageRecorded(.init(month: month, apiCalls: callsPerPart))
        let tailAtMs = range.endMs - 60_000
        _ = try await reopened.append([NewEvent(type: tail.type, data: tail.canonicalData(), atMs: tailAtMs)])
        await reopened.close()
    }

    /// Request, acceptance and result of one STK push or payout.
    private func paymentEvents(_ index: Int, random: inout SplitMix) throws -> [TenantEvent] {
        let id = PaymentID(randomBytes: random.bytes(16))
        let phone = try MSISDN("2547\(String(format: "%08d", index % 100_000_000))")
        let amount = Amount(shillings: Int64(10 + index % 5_000))
        let fails = index % Self.failureEvery == Self.failureEvery - 1
        if index % Self.payoutEvery == Self.payoutEvery - 1 {
            return [
                .b2cRequested(.init(
                    paymentID: id, amount: amount, phone: phone, command: .businessPayment, remarks: "Payout")),
                .paymentAccepted(.init(
                    paymentID: id, conversationID: "AG_20261101_\(index)",
                    originatorConversationID: "12345-\(index)-1")),
                .paymentSettled(.init(
                    paymentID: id, resultCode: ResultCode(fails ? 2001 : 0),
                    resultDesc: fails ? "The initiator information is invalid." : "The service request is processed.",
                    mpesaReceipt: fails ? nil : "TB\(String(index, radix: 36).uppercased())P", source: .callback)),
            ]
        }
        return [
            .stkPushRequested(.init(
                paymentID: id, amount: amount, phone: phone, accountReference: "INV\(index)",
                description: "Order payment", transactionType: .paybill)),
            .paymentAccepted(.init(
                paymentID: id, merchantRequestID: "29115-34620561-\(index)",
                checkoutRequestID: "ws_CO_0111202612\(String(format: "%010d", index))")),
            .paymentSettled(.init(
                paymentID: id, resultCode: ResultCode(fails ? 1032 : 0),
                resultDesc: fails ? "Request cancelled by user" : "The service request is processed successfully.",
                mpesaReceipt: fails ? nil : "TK\(String(index, radix: 36).uppercased())X", source: .callback)),
        ]
    }
}
