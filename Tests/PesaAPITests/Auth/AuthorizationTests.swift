import Hummingbird
import HummingbirdTesting
import PesaAPI
import PesaCore
import Testing

@Suite struct AuthorizationTests {
    func readOrg(_ app: TestApp, _ org: OrganizationID, token: String?) async throws -> TestResponse {
        let headers = token.map(TestApp.bearer) ?? [:]
        return try await app.test { client in
            try await client.execute(uri: "/v1/orgs/\(org.rawValue)", method: .get, headers: headers)
        }
    }

    @Test func ownOrganizationIsAllowed() async throws {
        let app = await TestApp()
        let token = try await app.token(role: .orgAdmin, organization: TestApp.orgA)
        #expect(try await readOrg(app, TestApp.orgA, token: token).status == .ok)
    }

    @Test func foreignOrganizationIsNotFoundNotForbidden() async throws {
        let app = await TestApp()
        let token = try await app.token(role: .orgAdmin, organization: TestApp.orgA)
        let response = try await readOrg(app, TestApp.orgB, token: token)
        #expect(response.status == .notFound)
        #expect(try ErrorBody.decode(response).code == "NOT_FOUND")
        // A foreign org is answered exactly like a malformed (non-existent) one.
        try await app.test { client in
            try await client.execute(uri: "/v1/orgs/org_nope", method: .get, headers: TestApp.bearer(token)) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func superAdminSeesEveryOrganization() async throws {
        let app = await TestApp()
        let token = try await app.token(role: .superAdmin, organization: nil)
        #expect(try await readOrg(app, TestApp.orgB, token: token).status == .ok)
    }

    @Test func insufficientRoleIs403AndAnonymousIs401() async throws {
        let app = await TestApp()
        let token = try await app.token(role: .manager, organization: TestApp.orgA)
        let response = try await readOrg(app, TestApp.orgA, token: token)
        #expect(response.status == .forbidden)
        let error = try ErrorBody.decode(response)
        #expect(error.code == "FORBIDDEN")
        #expect(error.type == "permission_error")
        #expect(try await readOrg(app, TestApp.orgA, token: nil).status == .unauthorized)
    }

    @Test func contextHelpersAnswerTheRightStatus() throws {
        var context = PesaRequestContextFixture.make()
        #expect(throws: APIError.self) { try context.requireIdentity() }
        context.identity = Identity(
            user: TestApp.userA, principal: try Principal(role: .user, organizationID: TestApp.orgA), tokenID: "j")
        #expect(try context.requireOwnOrganization() == TestApp.orgA)
        #expect(try context.requireSameOrganization(TestApp.orgA).role == .user)
        do {
            try context.requireSameOrganization(TestApp.orgB)
            Issue.record("foreign org allowed")
        } catch {
            #expect(error.code == .notFound)
        }
        do {
            try context.requireRole(atLeast: .manager)
            Issue.record("role check passed")
        } catch {
            #expect(error.code == .forbidden)
        }
        do {
            try context.require(.createPayout, in: TestApp.orgB)
            Issue.record("foreign org allowed")
        } catch {
            #expect(error.code == .notFound)  // tenant first: a foreign object does not exist, whatever the role
        }
    }
}
