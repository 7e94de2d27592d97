import DarajaWire

/// Where a client sends its requests.
public enum DarajaEnvironment: Sendable, Hashable, CustomStringConvertible {
    /// `https://sandbox.safaricom.co.ke`.
    case sandbox
    /// `https://api.safaricom.co.ke`.
    case production
    /// Any base URL, e.g. the built-in sandbox at `http://127.0.0.1:<port>`.
    case custom(baseURL: String)

    /// The base URL without a trailing slash.
    public var baseURL: String {
        switch self {
        case .sandbox: DarajaHost.sandbox
        case .production: DarajaHost.production
        case .custom(let baseURL): baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        }
    }

    public var description: String {
        switch self {
        case .sandbox: "sandbox"
        case .production: "production"
        case .custom(let baseURL): "custom(\(baseURL))"
        }
    }
}
