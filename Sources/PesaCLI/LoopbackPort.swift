#if canImport(Glibc)
    import Glibc
#endif

/// Ports of 127.0.0.1 for child `pesa serve` processes that tests and benchmarks start side by side.
public enum LoopbackPort {
    /// Drawn among ports below Linux's ephemeral range (32768+), so that no outgoing connection or port-0 listener
    /// takes them.
    public static let range = 20_000...32_000

    /// A port that nothing listens on now. Another process may still take it before the child binds it: a child
    /// that exits before it answers is started again on a fresh port.
    public static func free() -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: range)
            if isFree(port) { return port }
        }
        return Int.random(in: range)
    }

    /// Whether a socket can bind 127.0.0.1:`port` now.
    public static func isFree(_ port: Int) -> Bool {
        #if canImport(Glibc)
            let (socket, made) = bound(port)
            guard made else { return true }  // no socket to try with: nothing says it is taken
            guard let socket else { return false }
            close(socket)
        #endif
        return true
    }

    /// A socket listening on 127.0.0.1:`port`, which holds the port until it is closed; nil when it is taken.
    public static func listen(on port: Int) -> Int32? {
        #if canImport(Glibc)
            guard let socket = bound(port).socket else { return nil }
            guard Glibc.listen(socket, 8) == 0 else {
                close(socket)
                return nil
            }
            return socket
        #else
            return nil
        #endif
    }

    #if canImport(Glibc)
        /// A TCP socket bound to 127.0.0.1:`port`, nil when it cannot be bound; `made` false when no socket could
        /// be made at all.
        private static func bound(_ port: Int) -> (socket: Int32?, made: Bool) {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard socket >= 0 else { return (nil, false) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard result == 0 else {
                close(socket)
                return (nil, true)
            }
            return (socket, true)
        }
    #endif
}
