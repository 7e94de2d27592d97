import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which addresses a webhook may be sent to. An endpoint URL names a host; the host resolves to addresses; a
/// delivery goes only to an address checked here, and `WebhookHTTPClient` connects to that very address, so a
/// host that resolves to a public address when checked and a private one a moment later (DNS rebinding) cannot
/// reach inside the network. Unless `allowPrivate` (a gateway on a private network, tests), every address the host
/// resolves to must be public: loopback, private ranges, link-local (cloud metadata at 169.254.169.254 and
/// fd00:ec2::254), carrier-grade NAT, documentation, benchmarking, multicast and reserved ranges are refused, and
/// an IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4) is judged by the IPv4 address.
public struct WebhookAddressPolicy: Sendable {
    /// Whether private and reserved addresses may be sent to.
    public var allowPrivate: Bool

    public init(allowPrivate: Bool) {
        self.allowPrivate = allowPrivate
    }

    /// The addresses `target`'s host resolves to, in the resolver's order of preference, once each. Throws when
    /// none resolves, or when any is not public and private addresses are not allowed. The lookup (getaddrinfo,
    /// which blocks) runs on NIO's thread pool, off the cooperative threads; what it found is reused for
    /// `WebhookLookups.reuseMs` (a busy endpoint is not looked up a thousand times a second), and checked here at
    /// every call all the same.
    public func resolve(_ target: WebhookTarget) async throws(WebhookError) -> [String] {
        let host = target.host
        let addresses: [String]
        if let known = WebhookLookups.shared.addresses(of: host) {
            addresses = known
        } else {
            let lookup: Result<[String], WebhookError>
            do {
                lookup = try await NIOThreadPool.singleton.runIfActive { Self.lookUp(host) }
            } catch {
                throw WebhookError("the host \(host) could not be looked up: \(error)", param: "url")
            }
            addresses = try lookup.get()
            WebhookLookups.shared.keep(addresses, of: host)
        }
        guard !addresses.isEmpty else { throw WebhookError("the host \(host) has no address", param: "url") }
        if !allowPrivate, let refused = addresses.first(where: { !Self.isPublic($0) }) {
            let named = refused == host ? "the address \(host)" : "the host \(host) resolves to \(refused), which"
            throw WebhookError("\(named) is not a public address", param: "url")
        }
        return addresses
    }

    /// Whether `ip` (an IPv4 or IPv6 address literal) is a public address. Anything that is not an address is not.
    public static func isPublic(_ ip: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, ip, &v4) == 1 {
            return isPublicIPv4(withUnsafeBytes(of: &v4.s_addr) { Array($0) })
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, ip, &v6) == 1 {
            return isPublicIPv6(withUnsafeBytes(of: &v6) { Array($0) })
        }
        return false
    }

    /// The ranges of IPv4 that are not public: (first octets, prefix length).
    static let privateIPv4: [([UInt8], Int)] = [
        ([0, 0, 0, 0], 8), ([10, 0, 0, 0], 8), ([100, 64, 0, 0], 10), ([127, 0, 0, 0], 8), ([169, 254, 0, 0], 16),
        ([172, 16, 0, 0], 12), ([192, 0, 0, 0], 24), ([192, 0, 2, 0], 24), ([192, 88, 99, 0], 24),
        ([192, 168, 0, 0], 16), ([198, 18, 0, 0], 15), ([198, 51, 100, 0], 24), ([203, 0, 113, 0], 24),
        ([224, 0, 0, 0], 4), ([240, 0, 0, 0], 4),
    ]

    /// The ranges of IPv6 that are not public, whatever they carry.
    static let privateIPv6: [([UInt8], Int)] = [
        ([0x01, 0x00], 64),  // 100::/64, discard-only
        ([0x20, 0x01, 0x00, 0x00], 32),  // 2001::/32, Teredo
        ([0x20, 0x01, 0x00, 0x02, 0x00, 0x00], 48),  // 2001:2::/48, benchmarking
        ([0x20, 0x01, 0x0d, 0xb8], 32),  // 2001:db8::/32, documentation
        ([0x3f, 0xff], 20),  // 3fff::/20, documentation
        ([0xfc], 7),  // fc00::/7, unique local (fd00:ec2::254, a cloud's metadata, too)
        ([0xfe, 0x80], 10),  // fe80::/10, link-local
        ([0xfe, 0xc0], 10),  // fec0::/10, the former site-local
        ([0xff], 8),  // ff00::/8, multicast
        ([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48),  // 64:ff9b:1::/48, local NAT64
    ]

    static func isPublicIPv4(_ bytes: [UInt8]) -> Bool {
        precondition(bytes.count == 4)
        return !privateIPv4.contains { matches(bytes, $0.0, prefixBits: $0.1) }
    }

    static func isPublicIPv6(_ bytes: [UInt8]) -> Bool {
        precondition(bytes.count == 16)
        if privateIPv6.contains(where: { matches(bytes, $0.0, prefixBits: $0.1) }) { return false }
        let first10Zero = bytes[0..<10].allSatisfy { $0 == 0 }
        // ::/96 (IPv4-compatible, with :: and ::1), ::ffff:0:0/96 (IPv4-mapped), ::ffff:0:0:0/96 (translated).
        if first10Zero && (bytes[10...11] == [0, 0] || bytes[10...11] == [0xff, 0xff]) {
            return isPublicIPv4(Array(bytes[12...15]))
        }
        if bytes[0..<8].allSatisfy({ $0 == 0 }) && bytes[8...11] == [0xff, 0xff, 0, 0] {
            return isPublicIPv4(Array(bytes[12...15]))
        }
        // 64:ff9b::/96, NAT64: the address is its IPv4 one, and the prefix itself is no destination of ours.
        if matches(bytes, [0x00, 0x64, 0xff, 0x9b], prefixBits: 96) { return false }
        // 2002::/16, 6to4: the IPv4 address follows the prefix.
        if bytes[0] == 0x20 && bytes[1] == 0x02 { return isPublicIPv4(Array(bytes[2...5])) }
        return true
    }

    /// Whether the first `prefixBits` bits of `bytes` are those of `prefix` (zero past its end).
    static func matches(_ bytes: [UInt8], _ prefix: [UInt8], prefixBits: Int) -> Bool {
        var bits = prefixBits
        var index = 0
        while bits > 0 {
            let expected = index < prefix.count ? prefix[index] : 0
            let mask: UInt8 = bits >= 8 ? 0xff : ~(0xff >> UInt8(bits))
            if bytes[index] & mask != expected & mask { return false }
            bits -= 8
            index += 1
        }
        return true
    }

    /// getaddrinfo for TCP, both families; the numeric form of each address, once each, in the resolver's order.
    static func lookUp(_ host: String) -> Result<[String], WebhookError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else {
            let reason = String(cString: gai_strerror(status))
            return .failure(WebhookError("the host \(host) could not be resolved (\(reason))", param: "url"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var entry = list
        while let current = entry {
            if let text = numericAddress(current.pointee), !addresses.contains(text) { addresses.append(text) }
            entry = current.pointee.ai_next
        }
        return .success(addresses)
    }

    static func numericAddress(_ info: addrinfo) -> String? {
        guard let address = info.ai_addr else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let written: UnsafePointer<CChar>?
        switch info.ai_family {
        case AF_INET:
            written = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                var raw = v4.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count))
            }
        case AF_INET6:
            written = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                var raw = v6.pointee.sin6_addr
                return inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
            }
        default:
            return nil
        }
        guard written != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Hosts' addresses as last looked up, each for `reuseMs`; failures are not kept.
final class WebhookLookups: Sendable {
    static let shared = WebhookLookups()
    static let reuseMs: Int64 = 5_000
    static let hostsMax = 10_000

    private let found = Mutex<[String: (addresses: [String], until: NIODeadline)]>([:])

    func addresses(of host: String) -> [String]? {
        found.withLock { found in
            guard let entry = found[host], entry.until > .now() else { return nil }
            return entry.addresses
        }
    }

    func keep(_ addresses: [String], of host: String) {
        guard !addresses.isEmpty else { return }
        let now = NIODeadline.now()
        found.withLock { found in
            if found.count >= Self.hostsMax { found = found.filter { $0.value.until > now } }
            if found.count >= Self.hostsMax { found.removeAll() }
            found[host] = (addresses, now + .milliseconds(Self.reuseMs))
        }
    }
}
