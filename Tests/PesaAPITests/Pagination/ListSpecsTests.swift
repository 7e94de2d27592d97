import Testing
import HTTPTypes

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

/// Every POST that creates something takes `Idempotency-Key` and documents it.
@Suite struct IdempotentSpecsTests {
    static let creating = [
        OrganizationsController.createSpec, UsersController.createSpec, APIKeysController.createSpec,
        PaymentsController.stkPushSpec, PayoutsController.payoutSpec, PayoutsController.reversalSpec,
        QueriesController.balanceCheckSpec, QueriesController.statusSpec,
    ]

    @Test func everyCreatingPostDeclaresIdempotencyKey() throws {
        for spec in Self.creating {
            #expect(spec.method == .post && spec.idempotent, "\(spec.key)")
            let operation = OpenAPIDocument(version: "test").operation(spec)
            guard case .array(let parameters)? = operation["parameters"] else {
                Issue.record("\(spec.key) has no parameters")
                continue
            }
            #expect(parameters.contains { $0["name"] == "Idempotency-Key" && $0["in"] == "header" }, "\(spec.key)")
            let conflict = operation["responses"]?["409"]?["description"]
            guard case .string(let codes)? = conflict else {
                Issue.record("\(spec.key) documents no 409")
                continue
            }
            #expect(codes.contains("IDEMPOTENCY_KEY_REUSED"), "\(spec.key)")
            let success = operation["responses"]?[String(spec.successStatus.code)]
            #expect(success?["headers"]?["Idempotency-Hit"] != nil, "\(spec.key)")
        }
        #expect(!QueriesController.registerSpec.idempotent)
        let register = OpenAPIDocument(version: "test").operation(QueriesController.registerSpec)
        guard case .array(let parameters)? = register["parameters"] else { return }
        #expect(!parameters.contains { $0["name"] == "Idempotency-Key" })
    }
}
