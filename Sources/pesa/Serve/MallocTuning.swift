#if canImport(CMalloc) && os(Linux)
import CMalloc
#endif

/// glibc's allocator settings for `pesa serve`, applied once at start-up, before the gateway opens any tenant
/// (they are process-wide: every thread's arena follows them).
///
/// By default glibc serves every allocation above a threshold that starts at 128 KiB with its own `mmap`,
/// and gives it back with `munmap` when freed, and it trims the heap top back to the system past 128 KiB
/// free. The gateway allocates such buffers all the time: snapshot payloads, journal segments read and
/// gzipped by compaction (16 MiB each), pages of `GET /v1/transactions`. Each fresh mapping is paid again
/// in page faults, and each `munmap` of a multi-threaded process interrupts the other cores to flush their
/// TLBs, which on a virtual machine costs every request thread. Measured with `pesa-bench payments`
/// (BENCHMARKS.md, "Design decisions"): in two pairs of runs, the seconds in which a snapshot and its
/// compaction ran had a per-second push p99 of 8.6 to 27.1 ms without these settings and 5.0 to 16.3 ms with
/// them. Memory freed after a burst now stays with the process (up to `trimThresholdBytes` above what it
/// uses) instead of going back to the system.
enum MallocTuning {
    /// Allocations up to this size come from the heap, reused, instead of a fresh mapping (32 MiB is the
    /// largest threshold glibc accepts on 64-bit systems; setting it also stops glibc from moving it).
    static let mmapThresholdBytes: Int32 = 32 << 20
    /// Free memory at the heap's top is returned to the system only past this much.
    static let trimThresholdBytes: Int32 = 256 << 20

    /// Applies the settings unless the operator tuned glibc's allocator through `GLIBC_TUNABLES`; true when
    /// both were taken.
    @discardableResult
    static func apply(environment: [String: String]) -> Bool {
        #if canImport(CMalloc) && os(Linux)
        if let tunables = environment["GLIBC_TUNABLES"], tunables.contains("glibc.malloc.") { return false }
        // mallopt answers 1 on success.
        let trim = mallopt(M_TRIM_THRESHOLD, trimThresholdBytes)
        let mmap = mallopt(M_MMAP_THRESHOLD, mmapThresholdBytes)
        return trim == 1 && mmap == 1
        #else
        return false
        #endif
    }
}
