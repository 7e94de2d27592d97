import NIOCore
import PesaCore
import Synchronization

/// The open connections, in total and per client address, shared by every connection of one server: a
/// connection is admitted only while both counts are under their caps, and released when it closes.
final class ConnectionTable: Sendable {
    enum Admission: Equatable {
        case admitted
        case refusedTotal
        case refusedPerAddress
    }

    private struct State {
        var total = 0
        var perAddress: [String: Int] = [:]
        var refusedSinceWarning = 0
        var lastWarning: NIODeadline?
    }

    let connectionsMax: Int
    let connectionsPerAddressMax: Int
    private let state = Mutex(State())

    init(connectionsMax: Int, connectionsPerAddressMax: Int) {
        precondition(connectionsMax >= 1 && connectionsPerAddressMax >= 1, "connection caps must be positive")
        self.connectionsMax = connectionsMax
        self.connectionsPerAddressMax = connectionsPerAddressMax
    }

    func admit(_ address: String) -> Admission {
        state.withLock { state in
            guard state.total < connectionsMax else {
                state.refusedSinceWarning += 1
                return .refusedTotal
            }
            let held = state.perAddress[address, default: 0]
            guard held < connectionsPerAddressMax else {
                state.refusedSinceWarning += 1
                return .refusedPerAddress
            }
            state.total += 1
            state.perAddress[address] = held + 1
            return .admitted
        }
    }

    func release(_ address: String) {
        state.withLock { state in
            let held = state.perAddress[address, default: 0]
            precondition(held > 0 && state.total > 0, "a connection released twice")
            state.total -= 1
            state.perAddress[address] = held > 1 ? held - 1 : nil
        }
    }

    /// The number of connections refused since the last warning, when a warning is due now (at most one per
    /// `Limits.refusedConnectionsWarningSeconds`), else nil.
    func refusedCountDue(now: NIODeadline) -> Int? {
        state.withLock { state in
            let interval = TimeAmount.seconds(Limits.refusedConnectionsWarningSeconds)
            if let last = state.lastWarning, now < last + interval { return nil }
            guard state.refusedSinceWarning > 0 else { return nil }
            defer { state.refusedSinceWarning = 0 }
            state.lastWarning = now
            return state.refusedSinceWarning
        }
    }

    var openCount: Int { state.withLock { $0.total } }
}
