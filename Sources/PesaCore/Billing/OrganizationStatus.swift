/// Whether an organization is in service (PATCH /v1/orgs/{id} `status`). A disabled organization's
/// users and keys are refused; its callbacks are still recorded.
public enum OrganizationStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case active
    case disabled

    public var description: String { rawValue }
}
