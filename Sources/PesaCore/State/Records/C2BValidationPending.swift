/// A C2B validation rule whose list arrives in parts (`c2b.validation_set` with a `reference_count`, then
/// `c2b.validation_references_added` lines): the rule so far, and how many references it will have had.
public struct C2BValidationPending: Sendable, Equatable {
    public internal(set) var record: C2BValidationRecord
    /// References received so far (as listed, before duplicates are merged).
    public internal(set) var received: Int
    public let referenceCount: Int

    public var isComplete: Bool { received == referenceCount }
}
