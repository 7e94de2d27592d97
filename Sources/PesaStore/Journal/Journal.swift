import Dispatch
import Logging
import PesaCore
import Synchronization

/// Where an appended event landed: its sequence number and chain hash.
public struct JournalPosition: Sendable, Equatable {
    public let seq: UInt64
    public let hash: ChainHash

    public init(seq: UInt64, hash: ChainHash) {
        self.seq = seq
        self.hash = hash
    }
}

/// The append side of one tenant's journal, with group commit.
///
/// `append` gives each event the next sequence number and chains it to the line before, then waits
/// until the line is durable (written and fdatasync'ed). Appends that arrive while a flush is running
/// are written together by the next flush with a single fdatasync. A failed write or sync fails every
/// event of that flush and every event queued behind it (their hashes chain on the failed ones); the
/// file is cut back to its last durable byte, so the journal is exactly as before those appends.
public final class Journal: Sendable {
    private let shared: Mutex<Shared>
    private let writer: SegmentWriter
    private let queue: DispatchQueue

    struct Shared {
        var tip: JournalPosition
        var durable: JournalPosition
        var pending: [Pending] = []
        var flushing = false
        var closed = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    struct Pending {
        let bytes: [UInt8]
        let positions: [JournalPosition]
        let continuation: CheckedContinuation<Result<[JournalPosition], StoreError>, Never>
    }

    /// Opens the journal for appending after recovery: `durable` is the last good line, `activeSegment` the
    /// live segment it is in (or nil for a fresh journal) with `activeSegmentBytes` good bytes.
    init(
        directory: String, io: any FileIO, durable: JournalPosition, activeSegment: SegmentFile?,
        activeSegmentBytes: Int, segmentBytesMax: Int = Limits.segmentBytesMax, logger: Logger
    ) {
        self.shared = Mutex(Shared(tip: durable, durable: durable))
        self.writer = SegmentWriter(
            directory: directory, io: io, segment: activeSegment, durableSize: activeSegmentBytes,
            segmentBytesMax: segmentBytesMax, logger: logger)
        self.queue = DispatchQueue(label: "pesa.journal")
    }

    /// The last durable line.
    public var head: JournalPosition { shared.withLock { $0.durable } }

    /// Whether an event fits in one journal line (`Limits.journalLineBytesMax`, with its sequence number, time,
    /// type, checks and newline). `append` refuses a batch holding one that does not.
    public static func fits(_ event: NewEvent) -> Bool {
        JournalLine.fits(type: event.type, dataBytes: event.data.count)
    }

    /// Appends events in order and returns once all of them are durable.
    public func append(_ events: [NewEvent]) async throws(StoreError) -> [JournalPosition] {
        guard !events.isEmpty else { return [] }
        for event in events {
            guard JournalLine.isValidType(event.type) else {
                throw StoreError(.invalidArgument, "event type \"\(event.type)\" is not [a-z0-9_.-]{1,64}")
            }
            guard CanonicalJSON.isCanonicalObject(event.data[...]) else {
                throw StoreError(.invalidArgument, "event data of \(event.type) is not a canonical JSON object")
            }
            guard Self.fits(event) else {
                throw StoreError(
                    .limitExceeded, "event \(event.type) is \(event.data.count) bytes, over the line limit")
            }
        }
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<[JournalPosition], StoreError>, Never>) in
            let startFlush = shared.withLock { shared -> Bool in
                guard !shared.closed else {
                    continuation.resume(returning: .failure(StoreError(.io, "the journal is closed")))
                    return false
                }
                var bytes: [UInt8] = []
                var positions: [JournalPosition] = []
                for event in events {
                    let seq = shared.tip.seq + 1
                    let line = JournalLine.encode(seq: seq, event: event, prev: shared.tip.hash)
                    bytes.append(contentsOf: line.bytes)
                    shared.tip = JournalPosition(seq: seq, hash: line.hash)
                    positions.append(shared.tip)
                }
                shared.pending.append(Pending(bytes: bytes, positions: positions, continuation: continuation))
                guard !shared.flushing else { return false }
                shared.flushing = true
                return true
            }
            if startFlush { queue.async { self.flushLoop() } }
        }
        return try result.get()
    }

    /// Waits for queued appends, then closes the segment. Later appends fail.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = shared.withLock { shared -> Bool in
                shared.closed = true
                guard shared.flushing else { return true }
                shared.closeWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
        queue.sync { writer.close() }
    }

    /// Runs on `queue` until nothing is pending.
    private func flushLoop() {
        while true {
            let batch = shared.withLock { shared -> [Pending]? in
                guard !shared.pending.isEmpty else {
                    shared.flushing = false
                    let waiters = shared.closeWaiters
                    shared.closeWaiters = []
                    for waiter in waiters { waiter.resume() }
                    return nil
                }
                return Self.takeBatch(&shared.pending)
            }
            guard let batch else { return }
            flush(batch)
        }
    }

    private static func takeBatch(_ pending: inout [Pending]) -> [Pending] {
        var count = 0
        var events = 0
        while count < pending.count
            && (count == 0 || events + pending[count].positions.count <= Limits.groupCommitEventsMax)
        {
            events += pending[count].positions.count
            count += 1
        }
        let batch = Array(pending[..<count])
        pending.removeFirst(count)
        return batch
    }

    private func flush(_ batch: [Pending]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.reduce(0) { $0 + $1.bytes.count })
        for item in batch { bytes.append(contentsOf: item.bytes) }
        guard let first = batch.first?.positions.first, let last = batch.last?.positions.last else { return }
        do {
            try writer.write(bytes, firstSeq: first.seq)
            shared.withLock { $0.durable = last }
            for item in batch { item.continuation.resume(returning: .success(item.positions)) }
        } catch {
            let queuedBehind = shared.withLock { shared -> [Pending] in
                let behind = shared.pending
                shared.pending = []
                shared.tip = shared.durable
                return behind
            }
            writer.rollBack()
            for item in batch + queuedBehind { item.continuation.resume(returning: .failure(error)) }
        }
    }
}
