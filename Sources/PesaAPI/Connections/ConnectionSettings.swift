import PesaCore

/// How long a connection may stay idle or half-sent, and how many connections the server holds, in total and
/// per client address. Past a cap a new connection is closed at once, never queued; past a timeout the
/// connection is closed (with a 408 answer when a request was under way).
public struct ConnectionSettings: Sendable, Equatable {
    /// A keep-alive connection with no request in progress is closed after this long.
    public var idleTimeoutSeconds: Int64
    /// A request head not complete this long after its first byte is answered 408.
    public var requestHeadTimeoutSeconds: Int64
    /// A request body receiving no byte for this long is answered 408.
    public var requestBodyTimeoutSeconds: Int64
    public var connectionsMax: Int
    public var connectionsPerAddressMax: Int

    /// The defaults for a process allowed `openFilesMax` open files: half of them for connections, an
    /// eighth of those per client address (`Limits.connectionsOpenFilesDivisor`, `connectionsPerAddressDivisor`).
    public init(openFilesMax: Int) {
        let connectionsMax = Self.defaultConnectionsMax(openFilesMax: openFilesMax)
        self.init(
            idleTimeoutSeconds: Limits.connectionIdleSecondsDefault,
            requestHeadTimeoutSeconds: Limits.requestHeadSecondsDefault,
            requestBodyTimeoutSeconds: Limits.requestBodyStallSecondsDefault,
            connectionsMax: connectionsMax,
            connectionsPerAddressMax: Self.defaultConnectionsPerAddressMax(connectionsMax: connectionsMax))
    }

    public init(
        idleTimeoutSeconds: Int64, requestHeadTimeoutSeconds: Int64, requestBodyTimeoutSeconds: Int64,
        connectionsMax: Int, connectionsPerAddressMax: Int
    ) {
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.requestHeadTimeoutSeconds = requestHeadTimeoutSeconds
        self.requestBodyTimeoutSeconds = requestBodyTimeoutSeconds
        self.connectionsMax = connectionsMax
        self.connectionsPerAddressMax = connectionsPerAddressMax
    }

    public static func defaultConnectionsMax(openFilesMax: Int) -> Int {
        max(1, min(openFilesMax, Limits.openFilesAssumedMax) / Limits.connectionsOpenFilesDivisor)
    }

    public static func defaultConnectionsPerAddressMax(connectionsMax: Int) -> Int {
        max(1, connectionsMax / Limits.connectionsPerAddressDivisor)
    }

    /// What is wrong with these settings, naming the option, or nil when they are usable.
    public var problem: String? {
        let timeouts: [(String, Int64)] = [
            ("--idle-timeout-seconds", idleTimeoutSeconds),
            ("--request-head-timeout-seconds", requestHeadTimeoutSeconds),
            ("--request-body-timeout-seconds", requestBodyTimeoutSeconds),
        ]
        for (option, seconds) in timeouts where !(1...Limits.connectionTimeoutSecondsMax).contains(seconds) {
            return "\(option) must be 1 to \(Limits.connectionTimeoutSecondsMax)"
        }
        guard (1...Limits.openFilesAssumedMax).contains(connectionsMax) else {
            return "--connections-max must be 1 to \(Limits.openFilesAssumedMax)"
        }
        guard (1...connectionsMax).contains(connectionsPerAddressMax) else {
            return "--connections-per-address-max must be 1 to --connections-max (\(connectionsMax))"
        }
        return nil
    }
}
