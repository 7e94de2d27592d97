import Testing

@testable import PesaCore

/// The due order of pending deliveries against a plain model (a dictionary sorted at every question).
@Suite struct WebhookScheduleTests {
    static func id(_ n: Int) -> WebhookDeliveryID {
        WebhookDeliveryID(randomBytes: (0..<16).map { UInt8(truncatingIfNeeded: n >> (($0 % 4) * 8)) ^ UInt8($0) })
    }

    /// What `due` must answer, from the model.
    static func expected(_ model: [WebhookDeliveryID: Int64], nowMs: Int64, max: Int, excluding: Set<WebhookDeliveryID>)
        -> ([WebhookDeliveryID], Int64?)
    {
        let sorted = model.filter { !excluding.contains($0.key) }.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        let due = sorted.filter { $0.value <= nowMs }
        let next: Int64? = due.count > max ? nowMs : sorted.first { $0.value > nowMs }?.value
        return (due.prefix(max).map(\.key), next)
    }

    @Test func dueDeliveriesComeOldestFirstAndTheNextTimeIsTheFirstLeftOut() {
        var schedule = WebhookSchedule()
        schedule.schedule(Self.id(1), atMs: 300)
        schedule.schedule(Self.id(2), atMs: 100)
        schedule.schedule(Self.id(3), atMs: 200)
        schedule.schedule(Self.id(4), atMs: 900)
        #expect(schedule.due(nowMs: 250, max: 10, excluding: []) == ([Self.id(2), Self.id(3)], 300))
        #expect(schedule.due(nowMs: 250, max: 1, excluding: []) == ([Self.id(2)], 250))
        #expect(schedule.due(nowMs: 250, max: 10, excluding: [Self.id(2)]) == ([Self.id(3)], 300))
        #expect(schedule.due(nowMs: 50, max: 10, excluding: []) == ([], 100))
        schedule.schedule(Self.id(2), atMs: 1_000)
        schedule.schedule(Self.id(3), atMs: nil)
        #expect(schedule.due(nowMs: 950, max: 10, excluding: []) == ([Self.id(1), Self.id(4)], 1_000))
        #expect(schedule.count == 3)
        #expect(schedule.dueAtMs(Self.id(3)) == nil)
        #expect(schedule.dueAtMs(Self.id(2)) == 1_000)
        schedule.schedule(Self.id(2), atMs: nil)
        schedule.schedule(Self.id(1), atMs: nil)
        schedule.schedule(Self.id(4), atMs: nil)
        #expect(schedule.due(nowMs: .max, max: 10, excluding: []) == ([], nil))
        #expect(schedule.count == 0)
    }

    @Test func aDeliveryMovedAwayAndBackIsTakenOnce() {
        var schedule = WebhookSchedule()
        schedule.schedule(Self.id(1), atMs: 100)
        schedule.schedule(Self.id(1), atMs: 500)
        schedule.schedule(Self.id(1), atMs: 100)
        #expect(schedule.due(nowMs: 1_000, max: 10, excluding: []) == ([Self.id(1)], nil))
        #expect(schedule == WebhookSchedule([]).with(Self.id(1), atMs: 100))
    }

    /// Random schedules, reschedules and removals, asked at random times: always the model's answer, and the
    /// entries kept stay within twice the live ones (plus a fixed slack).
    @Test func randomOperationsAnswerAsTheModelAndStayCompact() async {
        var random = SeededGenerator(seed: SeededGenerator.seed("WebhookScheduleTests"))
        var schedule = WebhookSchedule()
        var model: [WebhookDeliveryID: Int64] = [:]
        var clock: Int64 = 0
        for step in 0..<12_000 {
            // Lets the other tests' tasks run now and then: the cooperative pool has a thread per core.
            if step % 1_000 == 0 { await Task.yield() }
            clock += Int64.random(in: 0...3, using: &random)
            let id = Self.id(Int.random(in: 0..<4_000, using: &random))
            let atMs: Int64? =
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<4: clock  // a new delivery, due now
                case 4..<6: clock + Int64.random(in: 1...5_000, using: &random)  // a retry later
                case 6: Int64.random(in: 0...clock, using: &random)  // re-queued in the past
                default: nil  // done
                }
            schedule.schedule(id, atMs: atMs)
            model[id] = atMs
            if step % 61 == 0 {
                let max = Int.random(in: 1...50, using: &random)
                let excluding = Set(model.keys.prefix(Int.random(in: 0...5, using: &random)))
                let answer = schedule.due(nowMs: clock, max: max, excluding: excluding)
                let expected = Self.expected(model, nowMs: clock, max: max, excluding: excluding)
                #expect(answer.ids == expected.0, "step \(step)")
                #expect(answer.nextAtMs == expected.1, "step \(step)")
            }
            #expect(schedule.count == model.count)
            #expect(schedule.order.count <= 2 * model.count + 2_100, "step \(step)")
        }
        var records: [WebhookDeliveryRecord] = []
        for (id, atMs) in model {
            records.append(
                WebhookDeliveryRecord(
                    id: id, eventID: EventID(randomBytes: Array(repeating: 1, count: 16)),
                    endpointID: WebhookEndpointID(randomBytes: Array(repeating: 2, count: 16)), status: .pending,
                    attempts: [], scheduledAttempts: 0, nextAttemptAtMs: atMs, createdAtMs: 0, updatedAtMs: 0))
        }
        #expect(WebhookSchedule(records) == schedule)
        #expect(
            WebhookSchedule(records).due(nowMs: clock, max: 10_000, excluding: []).ids
                == Self.expected(model, nowMs: clock, max: 10_000, excluding: []).0)
    }
}

extension WebhookSchedule {
    fileprivate func with(_ id: WebhookDeliveryID, atMs: Int64) -> WebhookSchedule {
        var copy = self
        copy.schedule(id, atMs: atMs)
        return copy
    }
}
