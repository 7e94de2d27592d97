/// Every limit of the product, in one place, with the unit in the name (STYLE.md rule 13).
public enum Limits {
    // MARK: Storage
    /// A journal line (one event, with its envelope) may not be larger than this.
    public static let journalLineBytesMax = 64 * 1024
    /// A journal segment rolls over once it reaches this size.
    public static let segmentBytesMax = 16 * 1024 * 1024
    /// Events appended after the newest snapshot before an automatic snapshot is taken.
    public static let snapshotTailEventsMax: UInt64 = 50_000
    /// Most events one group commit writes with a single fsync.
    public static let groupCommitEventsMax = 4096
    /// Snapshots kept per tenant (older ones are removed once a newer one is durable).
    public static let snapshotsKeptCount = 3
    /// Archived segments and replaced snapshots are deleted only this long after they were superseded,
    /// so that a copy of a tenant folder taken meanwhile still finds every piece it listed.
    public static let supersededFileGraceMs: Int64 = 10 * 60 * 1000
    /// Largest credentials vault file.
    public static let credentialsBytesMax = 64 * 1024
    /// Largest snapshot payload (uncompressed) the store will read.
    public static let snapshotPayloadBytesMax = 2 * 1024 * 1024 * 1024

    // MARK: HTTP
    public static let requestBodyBytesMax = 64 * 1024
}
