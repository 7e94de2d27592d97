#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a webhook goes, read from an organization's endpoint URL: the parts a request needs, checked once when the
/// URL is given, so a delivery never meets a URL it cannot send to. The host is lower-cased, an IPv6 literal is
/// kept without its brackets; the port defaults to the scheme's; the path and query default to `/`. Whether the
/// host may be reached at all is `WebhookAddressPolicy`'s question, asked at every delivery.
public struct WebhookTarget: Sendable, Equatable, CustomStringConvertible {
    /// The longest endpoint URL accepted, in characters.
    public static let urlLengthMax = 2048

    /// `http` or `https`.
    public let scheme: String
    /// The host name or address literal, lower-case, without brackets.
    public let host: String
    public let port: Int
    /// The request target: the URL's path and query, `/` when it has neither.
    public let pathAndQuery: String

    public init(scheme: String, host: String, port: Int, pathAndQuery: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.pathAndQuery = pathAndQuery
    }

    /// Whether the exchange is TLS.
    public var isHTTPS: Bool { scheme == "https" }

    /// Whether the host is an IPv6 address literal (written in brackets in a URL and a `Host:` header).
    public var isIPv6Literal: Bool { host.contains(":") }

    /// The `Host:` header: the host, bracketed if IPv6, with the port when it is not the scheme's.
    public var hostHeader: String {
        let name = isIPv6Literal ? "[\(host)]" : host
        return port == Self.defaultPort(scheme) ? name : "\(name):\(port)"
    }

    /// The URL again, in its normal spelling.
    public var description: String { "\(scheme)://\(hostHeader)\(pathAndQuery)" }

    /// Reads an endpoint URL, refusing anything a delivery could not or should not use: another scheme than http
    /// and https (only https when `requireHTTPS`), no host, user name or password, a fragment, a bad port,
    /// spaces or control characters, or more than `urlLengthMax` characters.
    public static func parse(_ text: String, requireHTTPS: Bool) throws(WebhookError) -> WebhookTarget {
        guard text.count <= urlLengthMax else { throw refusal("is longer than \(urlLengthMax) characters") }
        guard !text.isEmpty else { throw refusal("is empty") }
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw refusal("has spaces, control or non-ASCII characters (percent-encode them)")
        }
        guard let schemeEnd = text.firstRange(of: "://") else { throw refusal("must start with https:// or http://") }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw refusal("must use https or http, not \(scheme.isEmpty ? "no scheme" : scheme)")
        }
        guard scheme == "https" || !requireHTTPS else { throw refusal("must use https") }
        guard !text.contains("#") else { throw refusal("must not have a fragment (#…)") }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.contains("@") else { throw refusal("must not carry a user name or password") }
        let (host, port) = try hostAndPort(authority, scheme: scheme)
        var pathAndQuery = String(rest[authorityEnd...])
        if pathAndQuery.isEmpty || pathAndQuery.hasPrefix("?") { pathAndQuery = "/" + pathAndQuery }
        return WebhookTarget(scheme: scheme, host: host, port: port, pathAndQuery: pathAndQuery)
    }

    /// 443 for https, 80 for http.
    public static func defaultPort(_ scheme: String) -> Int { scheme == "https" ? 443 : 80 }

    static func hostAndPort(_ authority: Substring, scheme: String) throws(WebhookError) -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw refusal("has an unclosed [ in its host") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw refusal("has characters after its IPv6 address") }
                portText = after.dropFirst()
            }
            guard isIPv6(String(host)) else { throw refusal("has an invalid IPv6 address in brackets") }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw refusal("has no host") }
        let name = host.lowercased()
        if !name.contains(":") {
            let allowed = name.unicodeScalars.allSatisfy { scalar in
                ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "."
                    || scalar == "_"
            }
            guard allowed else { throw refusal("has a host with characters a host name cannot have") }
        }
        guard let portText else { return (name, defaultPort(scheme)) }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portText),
            (1...65535).contains(port)
        else { throw refusal("has an invalid port (1 to 65535)") }
        return (name, port)
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }

    static func refusal(_ problem: String) -> WebhookError { WebhookError("the URL " + problem, param: "url") }
}
