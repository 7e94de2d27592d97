#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PesaCore

/// The process's open-file limit (`getrlimit(RLIMIT_NOFILE)`, soft limit), from which the connection caps'
/// defaults are derived; `Limits.openFilesAssumedMax` when unlimited (`RLIM_INFINITY`) or unreadable.
enum OpenFileLimit {
    static func current() -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
        let status = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
        let status = getrlimit(RLIMIT_NOFILE, &limit)
        #endif
        guard status == 0, limit.rlim_cur != rlim_t.max else { return Limits.openFilesAssumedMax }
        return Int(clamping: limit.rlim_cur)
    }
}
