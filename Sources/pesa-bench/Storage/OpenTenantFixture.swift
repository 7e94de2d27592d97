import Foundation
import PesaCLI
import PesaCore
import PesaStore

/// Builds a tenant of N settled STK payments (state built in memory, written as a snapshot), followed by a
/// real journal tail of new payments' events.
struct OpenTenantFixture {
    let payments: Int
    let tail: Int
    /// Time between the fixture's events: 1 ms packs them into an hour; more spreads them over days (reports).
    var msPerEvent: Int64 = 1
    /// When the fixture's history starts (2025-11-28 unless the benchmark wants its payments up to now).
    var baseMs: Int64 = 1_764_331_200_000

    func build(root: String, tenantID: String) async throws {
        let data = DataDirectory(root: root)
        try data.prepare()
        try data.createTenant(TenantManifest(id: tenantID, slug: "bench-open", name: "Bench", createdAtMs: 0))
        var random = SplitMix(seed: 42)
        var state = TenantState()
        var seq: UInt64 = 0
        func apply(_ event: TenantEvent) throws {
            seq += 1
            try state.apply(event, seq: seq, atMs: baseMs + Int64(seq) * msPerEvent)
        }
        // A tenant id that is an organization id makes the fixture an organization `pesa serve` can open.
        let randomID = OrganizationID(randomBytes: random.bytes(16))
        try apply(.organizationCreated(.init(
            organizationID: (try? OrganizationID(parsing: tenantID)) ?? randomID, name: "Bench",
            slug: try OrgSlug("bench-open"),
            plan: "business", subscriptionStatus: .active, currentPeriodStartMs: baseMs,
            currentPeriodEndMs: baseMs + 30 * 86_400_000, callbackToken: "benchtoken")))
        for index in 0..<payments {
            for event in try paymentEvents(index: index, random: &random) { try apply(event) }
        }
        let directory = data.tenantDirectory(tenantID)
        let (emptyStore, _, _) = try TenantStore.open(
            directory: directory, tenantID: tenantID, as: TenantState.self, io: PosixFileIO(), logger: CLI.quietLogger)
        let anchor = JournalPosition(seq: seq, hash: ChainHash.of(Array("bench-open-anchor-\(seq)".utf8)))
        try await emptyStore.writeSnapshot(state, at: anchor, atMs: baseMs)
        await emptyStore.close()
        let (store, _, report) = try TenantStore.open(
            directory: directory, tenantID: tenantID, as: TenantState.self, io: PosixFileIO(), logger: CLI.quietLogger)
        precondition(report.head == anchor, "the fixture opens at its snapshot")
        var written = 0
        var index = payments
        while written < tail {
            let events = try paymentEvents(index: index, random: &random).prefix(tail - written)
            _ = try await store.append(events.map { NewEvent(type: $0.type, data: $0.canonicalData(), atMs: baseMs) })
            written += events.count
            index += 1
        }
        await store.close()
    }

    /// Request, acceptance and settlement of one STK push.
    private func paymentEvents(index: Int, random: inout SplitMix) throws -> [TenantEvent] {
        let id = PaymentID(randomBytes: random.bytes(16))
        let phone = try MSISDN("2547\(String(format: "%08d", index % 100_000_000))")
        let requested = TenantEvent.stkPushRequested(.init(
            paymentID: id, amount: Amount(shillings: Int64(1 + index % 5_000)), phone: phone,
            accountReference: "INV\(index % 1_000_000)", description: "Order payment", transactionType: .paybill))
        let accepted = TenantEvent.paymentAccepted(.init(
            paymentID: id, merchantRequestID: "29115-34620561-\(index)",
            checkoutRequestID: "ws_CO_2811202612\(String(format: "%010d", index))"))
        let settled = TenantEvent.paymentSettled(.init(
            paymentID: id, resultCode: ResultCode(0), resultDesc: "The service request is processed successfully.",
            mpesaReceipt: "TK\(String(index, radix: 36).uppercased())X", transactionAtMs: 1_764_331_200_000,
            source: .callback))
        return [requested, accepted, settled]
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
