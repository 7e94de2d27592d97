import PesaCore
import PesaTesting
import Synchronization
import Testing

@testable import PesaStore

/// `Journal.append(_:knownFailures:completion:)`: an appender that decided on top of queued appends never
/// gets events written after one of those failed.
@Suite struct JournalKnownFailuresTests {
    static func append(
        _ store: TenantStore, _ id: String, knownFailures: UInt64?
    ) async -> Result<[JournalPosition], StoreError> {
        await withCheckedContinuation { continuation in
            store.journal.append([LedgerTestState.event(id: id, n: 1)], knownFailures: knownFailures) {
                continuation.resume(returning: $0)
            }
        }
    }

    @Test func anAppendNamingAnOutdatedFailureCountIsRefusedAndWritesNothing() async throws {
        let io = SimulatedFileIO(seed: 21)
        let (store, _, _) = try openLedger("/data", io: io)
        #expect(try await Self.append(store, "first", knownFailures: 0).get().map(\.seq) == [1])
        io.inject(.init(.sync, pathContains: "journal", errno: 5, times: 1))
        guard case .failure = await Self.append(store, "lost", knownFailures: 0) else {
            Issue.record("the append whose sync failed succeeded")
            return
        }
        #expect(store.journal.failureCount == 1)
        guard case .failure(let refused) = await Self.append(store, "stale", knownFailures: 0) else {
            Issue.record("an append decided before the failure was written")
            return
        }
        #expect(refused.message.contains("earlier write"))
        #expect(store.journal.tip.seq == 1)
        #expect(try await Self.append(store, "fresh", knownFailures: 1).get().map(\.seq) == [2])
        #expect(try await Self.append(store, "plain", knownFailures: nil).get().map(\.seq) == [3])
        io.reboot()
        let (_, state, _) = try openLedger("/data", io: io)
        #expect(state.ids == ["first", "fresh", "plain"])
        #expect(try verifyLedger("/data", io: io).isClean)
    }
}
