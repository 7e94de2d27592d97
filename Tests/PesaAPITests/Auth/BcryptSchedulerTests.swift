import Dispatch
import Hummingbird
import PesaCore
import Synchronization
import Testing

@testable import PesaAPI

/// The fair scheduler in front of bcrypt, checked by the order of its dequeues, never by timing.
@Suite struct BcryptSchedulerTests {
    @Test func aFloodOfOneKeyLetsAnotherKeysJobThroughWithinTwoDequeues() {
        var queue = FairQueue<String>(depthPerKeyMax: 1_000, countMax: 2_000)
        let flooded = (0..<500).map { queue.enqueue("a\($0)", key: "org:A") }
        #expect(flooded.allSatisfy { $0 })
        for _ in 0..<3 { _ = queue.dequeue() }  // the flood's turn has moved on
        let queued = queue.enqueue("b", key: "org:B")
        #expect(queued)
        let order = (0..<queue.count).compactMap { _ in queue.dequeue() }
        let position = order.firstIndex(of: "b")
        #expect(position.map { $0 < 2 } == true, "org:B's job came after \(position ?? -1) others")
        #expect(order.filter { $0.hasPrefix("a") } == (3..<500).map { "a\($0)" })  // each key stays FIFO
        let none = queue.dequeue()
        #expect(none == nil)
    }

    @Test func keysAreServedRoundRobin() {
        var queue = FairQueue<String>(depthPerKeyMax: 10, countMax: 100)
        var accepted = (0..<4).map { queue.enqueue("a\($0)", key: "A") }
        accepted += (0..<2).map { queue.enqueue("b\($0)", key: "B") }
        accepted.append(queue.enqueue("c0", key: "C"))
        #expect(accepted == Array(repeating: true, count: 7))
        let order = (0..<7).compactMap { _ in queue.dequeue() }
        #expect(order == ["a0", "b0", "c0", "a1", "b1", "a2", "a3"])
    }

    @Test func aFullKeyIsRefusedAndOtherKeysAreNot() {
        var queue = FairQueue<Int>(depthPerKeyMax: 3, countMax: 5)
        var accepted = (0..<4).map { queue.enqueue($0, key: "A") }
        #expect(accepted == [true, true, true, false])
        accepted = [queue.enqueue(10, key: "B"), queue.enqueue(11, key: "C"), queue.enqueue(12, key: "D")]
        #expect(accepted == [true, true, false])  // five jobs queued in all
        #expect(queue.depth(of: "A") == 3)
        let first = queue.dequeue()
        #expect(first == 0)
        let queued = queue.enqueue(12, key: "D")
        #expect(queued)
    }

    /// One worker held busy; a flood of key A and then one job of key B queue behind it. Once the worker is
    /// free, B's job is the second to run, and A's jobs past the queue's depth are refused with 429 at once.
    @Test func theSchedulerRunsAnotherKeysJobBeforeTheFlood() async throws {
        let scheduler = BcryptScheduler(workersCount: 1, queueDepthPerKeyMax: 8, queuedJobsCountMax: 64)
        let gate = DispatchSemaphore(value: 0)
        let order = Order()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await scheduler.run(key: "org:A") { gate.wait() } }
            while scheduler.runningCount == 0 { await Task.yield() }
            for _ in 0..<8 {
                group.addTask { _ = try await scheduler.run(key: "org:A") { order.names.withLock { $0.append("A") } } }
            }
            await Self.untilQueued(scheduler, 8)
            do {
                _ = try await scheduler.run(key: "org:A") { order.names.withLock { $0.append("refused") } }
                Issue.record("a ninth queued job of org:A was accepted")
            } catch let error as APIError {
                #expect(error.code == .rateLimited)
                #expect(error.headers[.retryAfter] == "1")
            }
            group.addTask { _ = try await scheduler.run(key: "org:B") { order.names.withLock { $0.append("B") } } }
            await Self.untilQueued(scheduler, 9)
            gate.signal()
            try await group.waitForAll()
        }
        let ran = order.names.withLock { $0 }
        #expect(ran.count == 9)
        #expect(ran.firstIndex(of: "B").map { $0 <= 1 } == true, "ran: \(ran)")
        #expect(!ran.contains("refused"))
    }

    /// The jobs in the order they ran.
    final class Order: Sendable {
        let names = Mutex<[String]>([])
    }

    static func untilQueued(_ scheduler: BcryptScheduler, _ count: Int) async {
        while scheduler.queuedCount < count { await Task.yield() }
    }
}
