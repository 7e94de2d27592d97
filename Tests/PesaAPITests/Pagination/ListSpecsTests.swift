import Testing

@testable import PesaAPI

/// Every list route documents the paging it takes (`/openapi.json` is built from these specs).
@Suite struct ListSpecsTests {
    @Test func everyListDeclaresLimitAndCursor() {
        let lists = [
            OrganizationsController.listSpec, UsersController.listSpec, APIKeysController.listSpec,
            AuditController.listSpec, PaymentsController.listSpec,
        ]
        for spec in lists {
            #expect(Set(spec.query.keys).isSuperset(of: ["limit", "cursor"]), "\(spec.key)")
        }
        #expect(Set(APIKeysController.listSpec.query.keys) == ["org", "limit", "cursor"])
    }
}
