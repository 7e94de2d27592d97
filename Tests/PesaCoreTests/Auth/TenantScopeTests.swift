import PesaCore
import Testing

@Suite struct TenantScopeTests {
    static let own = OrganizationID(randomBytes: [UInt8](repeating: 1, count: 16))
    static let other = OrganizationID(randomBytes: [UInt8](repeating: 2, count: 16))

    @Test(arguments: Role.allCases, Role.allCases)
    func assigningRoles(actor: Role, target: Role) {
        let expected: Bool = switch actor {
        case .superAdmin: true
        case .orgAdmin: target != .superAdmin
        case .manager, .user: false
        }
        #expect(actor.mayAssign(target) == expected, "\(actor) gives \(target)")
        #expect(actor.mayManage(userWith: target) == expected)
    }

    @Test func orgAdminNeverCreatesSuperAdmin() throws {
        let admin = try Principal(role: .orgAdmin, organizationID: Self.own)
        #expect(!admin.mayAssign(.superAdmin, in: Self.own))
        #expect(admin.mayAssign(.orgAdmin, in: Self.own))
        #expect(admin.mayAssign(.user, in: Self.own))
        #expect(!admin.mayAssign(.user, in: Self.other))
    }

    @Test(arguments: Role.allCases, Action.allCases)
    func foreignOrganizationsAreNotFound(role: Role, action: Action) throws {
        let principal = try Principal(role: role, organizationID: role == .superAdmin ? nil : Self.own)
        let foreign = principal.authorize(action, in: Self.other)
        let own = principal.authorize(action, in: Self.own)
        let permitted: Principal.Decision = role.permits(action) ? .allowed : .forbidden
        #expect(own == permitted)
        #expect(foreign == (role == .superAdmin ? permitted : .notFound))
        #expect(principal.authorize(action, in: nil) == permitted)
    }

    @Test func onlySuperAdminHasNoOrganization() throws {
        #expect(throws: PesaCoreError.self) { try Principal(role: .user, organizationID: nil) }
        let root = try Principal(role: .superAdmin, organizationID: Self.own)
        #expect(root.organizationID == nil)
        #expect(root.mayAccess(Self.other))
    }
}
