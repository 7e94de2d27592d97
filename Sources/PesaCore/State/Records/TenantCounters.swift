/// Tallies the reducer keeps (the journal has the details).
public struct TenantCounters: Sendable, Equatable {
    public internal(set) var auditEntries: Int64 = 0
    public internal(set) var callbacks: Int64 = 0
    public internal(set) var orphanCallbacks: Int64 = 0
    public internal(set) var malformedCallbacks: Int64 = 0
    /// Results for a payment already final: recorded, changed nothing.
    public internal(set) var lateResults: Int64 = 0
    /// Results repeating the payment's current status.
    public internal(set) var duplicateResults: Int64 = 0

    static let fieldCount = 6
}
