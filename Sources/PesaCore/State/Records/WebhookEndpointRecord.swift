/// A webhook endpoint of the organization (its secret is in the vault).
public struct WebhookEndpointRecord: Sendable, Equatable {
    public internal(set) var id: WebhookEndpointID
    public internal(set) var url: String
    public internal(set) var events: [String]
    public internal(set) var secretHint: String
    /// While rotating: the previous secret is still valid until then.
    public internal(set) var previousSecretValidUntilMs: Int64?
    public internal(set) var createdAtMs: Int64
    public internal(set) var updatedAtMs: Int64

    /// Whether the endpoint receives events of `type`.
    public func subscribes(to type: String) -> Bool { events.isEmpty || events.contains(type) }
}
