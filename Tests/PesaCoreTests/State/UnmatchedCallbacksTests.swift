@testable import PesaCore
import Testing

extension TenantState {
    /// The state as a snapshot of format 10 or earlier reads back: the unmatched callbacks unknown until its last
    /// event.
    func readBeforeFormat11() -> TenantState {
        var state = self
        state.unmatchedCallbacks = .unknown(before: lastAtMs)
        return state
    }
}

/// The callbacks that matched no payment, per Kenya day of the latest one's 7 days (data-layout.md): from the
/// journal, through snapshots of format 11, and from snapshots written before it.
@Suite struct UnmatchedCallbacksTests {
    static let dayMs: Int64 = 86_400_000
    /// 2026-12-07 00:00 EAT.
    static let monday = KenyaTime.startMs(ofDay: KenyaTime.dayIndex(ms: 1_796_590_800_000))

    static func callback(_ disposition: TenantEvent.CallbackDisposition) -> TenantEvent {
        .callbackReceived(.init(kind: .stk, body: "{}", disposition: disposition))
    }

    /// The organization, then each callback at its own time.
    static func replayed(_ callbacks: [(TenantEvent, Int64)], from state: TenantState = TenantState()) throws
        -> TenantState
    {
        var state = state
        if state.lastSeq == 0 { try state.apply(Fixtures.organizationCreated, seq: 1, atMs: monday - 30 * dayMs) }
        for (event, atMs) in callbacks { try state.apply(event, seq: state.lastSeq + 1, atMs: atMs) }
        return state
    }

    @Test func orphanAndMalformedOnesAreCountedPerDayForTheLatestsSevenDays() throws {
        #expect(KenyaTime.dayKey(ms: Self.monday) == "2026-12-07")
        let state = try Self.replayed([
            (Self.callback(.orphan), Self.monday - 9 * Self.dayMs),
            (Self.callback(.malformed), Self.monday - 6 * Self.dayMs),
            (Self.callback(.informational), Self.monday - 6 * Self.dayMs),
            (Self.callback(.orphan), Self.monday - Self.dayMs + 1),
            (Self.callback(.informational), Self.monday),
            (Self.callback(.orphan), Self.monday + 10 * 3_600_000 + 14 * 60_000),
        ])
        let unmatched = state.unmatchedCallbacks
        let today = KenyaTime.dayIndex(ms: Self.monday)
        #expect(unmatched.latestAtMs == Self.monday + 10 * 3_600_000 + 14 * 60_000)
        #expect(unmatched.byDay == [today - 6: 1, today - 1: 1, today: 1])
        #expect(unmatched.countedFromMs == 0)
        #expect(state.counters.orphanCallbacks == 3 && state.counters.malformedCallbacks == 1)
        let now = try #require(unmatched.recent(nowMs: Self.monday + 12 * 3_600_000))
        #expect(now.count == 3 && now.latestAtMs == unmatched.latestAtMs && now.complete)
        // The day 6 before drops out at the next midnight; the latest's day is the last one shown.
        #expect(unmatched.recent(nowMs: Self.monday + Self.dayMs)?.count == 2)
        #expect(unmatched.recent(nowMs: Self.monday + 6 * Self.dayMs + 1)?.count == 1)
        #expect(unmatched.recent(nowMs: Self.monday + 7 * Self.dayMs) == nil)
        #expect(TenantState().unmatchedCallbacks.recent(nowMs: Self.monday) == nil)
    }

    @Test func aSnapshotOfFormat11PlusTheTailEqualsTheWholeReplay() throws {
        var callbacks: [(TenantEvent, Int64)] = []
        for index in Int64(0)..<40 {
            let disposition: TenantEvent.CallbackDisposition =
                index % 5 == 0 ? .malformed : index % 3 == 0 ? .informational : .orphan
            callbacks.append((Self.callback(disposition), Self.monday - 20 * Self.dayMs + index * Self.dayMs / 2))
        }
        let full = try Self.replayed(callbacks)
        #expect(full.unmatchedCallbacks.byDay.count == 7)
        for cut in [0, 1, 17, 39, 40] {
            let prefix = try Self.replayed(Array(callbacks[..<cut]))
            let restored = try TenantState(
                snapshotPayload: prefix.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
            #expect(restored == prefix, "cut at \(cut)")
            let resumed = try Self.replayed(Array(callbacks[cut...]), from: restored)
            #expect(resumed == full, "cut at \(cut)")
            #expect(resumed.snapshotPayload() == full.snapshotPayload(), "cut at \(cut)")
        }
    }

    /// Format 10 did not keep them: nothing is flagged until the next one, and a count over days before the
    /// snapshot's last event is a minimum, also after a snapshot of format 11.
    @Test func aFormat10SnapshotLeavesThemUnknownUntilItsLastEvent() throws {
        let before = try Self.replayed([(Self.callback(.orphan), Self.monday - 2 * Self.dayMs)])
        #expect(before.unmatchedCallbacks.recent(nowMs: Self.monday)?.count == 1)
        let formatTen = before.snapshotPayload(formatVersion: 10)
        #expect(formatTen.count < before.snapshotPayload().count)
        let old = try TenantState(snapshotPayload: formatTen, formatVersion: 10)
        #expect(old == before.readBeforeFormat11())
        #expect(old.unmatchedCallbacks.countedFromMs == Self.monday - 2 * Self.dayMs)
        #expect(old.unmatchedCallbacks.recent(nowMs: Self.monday) == nil)
        let later = try Self.replayed([(Self.callback(.malformed), Self.monday)], from: old)
        let recent = try #require(later.unmatchedCallbacks.recent(nowMs: Self.monday + 1))
        #expect(recent.count == 1 && recent.latestAtMs == Self.monday && !recent.complete)
        let rewritten = try TenantState(
            snapshotPayload: later.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
        #expect(rewritten == later)
        #expect(rewritten.unmatchedCallbacks.recent(nowMs: Self.monday + 1)?.complete == false)
        // Once the 7 days start after the snapshot's last event, the count is exact again.
        #expect(rewritten.unmatchedCallbacks.recent(nowMs: Self.monday + 5 * Self.dayMs)?.complete == true)
    }

    @Test func daysAReplayCouldNotHaveKeptAreRefused() throws {
        let state = try Self.replayed([(Self.callback(.orphan), Self.monday)])
        var outside = state
        outside.unmatchedCallbacks.byDay[KenyaTime.dayIndex(ms: Self.monday) - 7] = 1
        var empty = state
        empty.unmatchedCallbacks.byDay[KenyaTime.dayIndex(ms: Self.monday) - 1] = 0
        var noLatest = state
        noLatest.unmatchedCallbacks.latestAtMs = nil
        for damaged in [outside, empty, noLatest] {
            #expect(throws: EventDecodingError.self) {
                try TenantState(
                    snapshotPayload: damaged.snapshotPayload(), formatVersion: TenantState.snapshotFormatVersion)
            }
        }
    }

    /// Random callbacks over six weeks: at every cut, the state read from a snapshot and replayed on equals the
    /// whole replay, and the count at any later time equals the callbacks of its 7 Kenya days.
    @Test(arguments: [UInt64(1), 2, 3])
    func countsEqualTheCallbacksOfTheLastSevenDaysThroughSnapshots(round: UInt64) throws {
        var random = SeededGenerator(seed: SeededGenerator.seed("UnmatchedCallbacksTests round \(round)") &+ round)
        let dispositions: [TenantEvent.CallbackDisposition] = [.orphan, .malformed, .informational]
        var atMs = Self.monday - 42 * Self.dayMs
        var callbacks: [(TenantEvent, Int64)] = []
        for _ in 0..<300 {
            atMs += Int64.random(in: 0...(Bool.random(using: &random) ? 3_600_000 : 3 * Self.dayMs), using: &random)
            let disposition = dispositions.randomElement(using: &random) ?? .orphan
            callbacks.append((Self.callback(disposition), atMs))
        }
        let full = try Self.replayed(callbacks)
        let unmatched = callbacks.compactMap { event, atMs -> Int64? in
            guard case .callbackReceived(let data) = event, data.disposition != .informational else { return nil }
            return atMs
        }
        for _ in 0..<20 {
            let cut = Int.random(in: 0...callbacks.count, using: &random)
            let restored = try TenantState(
                snapshotPayload: Self.replayed(Array(callbacks[..<cut])).snapshotPayload(),
                formatVersion: TenantState.snapshotFormatVersion)
            #expect(try Self.replayed(Array(callbacks[cut...]), from: restored) == full, "cut at \(cut)")
            let nowMs = atMs + Int64.random(in: 0...(8 * Self.dayMs), using: &random)
            let firstDay = KenyaTime.dayIndex(ms: nowMs) - 6
            let inWindow = unmatched.filter { KenyaTime.dayIndex(ms: $0) >= firstDay }
            let recent = full.unmatchedCallbacks.recent(nowMs: nowMs)
            #expect(recent?.count ?? 0 == Int64(inWindow.count), "now \(nowMs)")
            #expect(recent?.latestAtMs == inWindow.last)
            #expect(recent?.complete ?? true)
        }
    }
}
