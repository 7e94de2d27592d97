/// Jobs in one FIFO queue per key, served round-robin: each `dequeue` takes the oldest job of the next key in
/// turn, so a job whose key has nothing else queued is taken within as many dequeues as there are keys with
/// queued jobs, however many jobs another key has queued. Bounded: a key holds at most `depthPerKeyMax` jobs and
/// all keys together `countMax`; past either, `enqueue` refuses the job. Not thread-safe: owners keep it inside
/// a `Mutex`.
struct FairQueue<Job> {
    private var queues: [String: [Job]] = [:]
    /// The keys with queued jobs, in the order they are served; `nextIndex` is the next one's place.
    private var ring: [String] = []
    private var nextIndex = 0
    private(set) var count = 0
    let depthPerKeyMax: Int
    let countMax: Int

    init(depthPerKeyMax: Int, countMax: Int) {
        precondition(depthPerKeyMax >= 1 && countMax >= depthPerKeyMax, "a fair queue holds at least one job a key")
        self.depthPerKeyMax = depthPerKeyMax
        self.countMax = countMax
    }

    /// Queues `job` behind its key's earlier jobs; false (nothing queued) when the key's queue or the whole
    /// queue is full.
    mutating func enqueue(_ job: Job, key: String) -> Bool {
        let depth = queues[key]?.count ?? 0
        guard depth < depthPerKeyMax, count < countMax else { return false }
        if depth == 0 { ring.append(key) }
        queues[key, default: []].append(job)
        count += 1
        return true
    }

    /// The oldest job of the next key in turn, or nil when nothing is queued.
    mutating func dequeue() -> Job? {
        guard !ring.isEmpty else {
            precondition(count == 0, "jobs queued under no key")
            return nil
        }
        if nextIndex >= ring.count { nextIndex = 0 }
        let key = ring[nextIndex]
        guard var jobs = queues.removeValue(forKey: key), !jobs.isEmpty else {
            preconditionFailure("a key in turn without queued jobs")
        }
        let job = jobs.removeFirst()
        count -= 1
        if jobs.isEmpty {
            ring.remove(at: nextIndex)  // the key after it moves into this place, and is next
        } else {
            queues[key] = jobs
            nextIndex += 1
        }
        return job
    }

    /// How many jobs `key` has queued.
    func depth(of key: String) -> Int { queues[key]?.count ?? 0 }
}
