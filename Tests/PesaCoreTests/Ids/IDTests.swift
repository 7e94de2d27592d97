import PesaCore
import Testing

@Suite struct IDTests {
    static let bytes: [UInt8] = (0..<16).map { UInt8($0 * 17) }

    @Test func roundTripsThroughText() throws {
        let id = PaymentID(randomBytes: Self.bytes)
        #expect(id.rawValue.hasPrefix("pay_"))
        #expect(id.rawValue.count == 4 + 26)
        #expect(try PaymentID(parsing: id.rawValue) == id)
        #expect(try PaymentID(parsing: "pay_" + id.rawValue.dropFirst(4).uppercased()) == id)
        #expect(id.randomBytes == Self.bytes)
    }

    @Test func encodesKnownVectors() {
        #expect(CrockfordBase32.encode([UInt8](repeating: 0, count: 16)) == String(repeating: "0", count: 26))
        #expect(CrockfordBase32.encode([UInt8](repeating: 0xFF, count: 16)) == "7" + String(repeating: "z", count: 25))
        #expect(CrockfordBase32.encode([0xFF]) == "7z")
    }

    @Test(arguments: UInt8(0)...UInt8(40))
    func roundTripsManyBytePatterns(seed: UInt8) {
        let bytes = (0..<16).map { UInt8(truncatingIfNeeded: Int($0) &* 31 &+ Int(seed) &* 7) }
        #expect(CrockfordBase32.decode(CrockfordBase32.encode(bytes)[...], byteCount: 16) == bytes)
    }

    @Test(arguments: [
        "usr_00000000000000000000000000", "pay_", "pay_0000000000000000000000000", "pay_000000000000000000000000000",
        "pay_8zzzzzzzzzzzzzzzzzzzzzzzzz", "pay_0000000000000000000000000i", "pay_0000000000000000000000000u",
        "pay-00000000000000000000000000", "",
    ])
    func rejectsBadIDs(text: String) {
        #expect(throws: PesaCoreError.self) { try PaymentID(parsing: text) }
    }

    @Test func prefixesPerKind() {
        #expect(OrganizationID(randomBytes: Self.bytes).rawValue.hasPrefix("org_"))
        #expect(UserID(randomBytes: Self.bytes).rawValue.hasPrefix("usr_"))
        #expect(APIKeyID(randomBytes: Self.bytes).rawValue.hasPrefix("key_"))
        #expect(WebhookEndpointID(randomBytes: Self.bytes).rawValue.hasPrefix("whk_"))
        #expect(EventID(randomBytes: Self.bytes).rawValue.hasPrefix("evt_"))
        #expect(RequestID(randomBytes: Self.bytes).rawValue.hasPrefix("req_"))
    }

    @Test func batchIDsNameTheOrganization() throws {
        let id = BatchID(slug: try OrgSlug("acme-shop"), sequence: 42)
        #expect(id.rawValue == "bat_acme-shop_000042")
        let parsed = try BatchID(parsing: id.rawValue)
        #expect(parsed == id && parsed.slug.rawValue == "acme-shop" && parsed.sequence == 42)
        #expect(try BatchID(parsing: "bat_acme_1234567").sequence == 1_234_567)
        #expect(BatchID(slug: try OrgSlug("acme"), sequence: 9) < BatchID(slug: try OrgSlug("acme"), sequence: 10))
        #expect(id.itemID(6) == "row_acme-shop_000042_7" && id.itemIndex(parsing: "row_acme-shop_000042_7") == 6)
        for bad in ["bat_Acme_000001", "bat_000001", "bat_acme_42", "bat_acme_0000042", "bat_acme_000000",
                    "bat_acme_00004x", "pay_acme_000001"] {
            #expect(throws: PesaCoreError.self) { try BatchID(parsing: bad) }
        }
    }

    @Test(arguments: [("ab", true), ("acme-shop-2", true), (String(repeating: "a", count: 40), true),
                      ("a", false), (String(repeating: "a", count: 41), false), ("Acme", false), ("acme_shop", false),
                      ("acme shop", false), ("", false), ("émile", false)])
    func validatesSlugs(text: String, valid: Bool) {
        #expect(((try? OrgSlug(text)) != nil) == valid)
    }
}

/// The slug a new organization may take: the stored slug's rules, plus its ends, reserved names and the words
/// Daraja refuses in callback URLs. A slug already journaled is still read.
@Suite struct NewOrganizationSlugTests {
    @Test(arguments: ["acme", "a1", "shop-42", "9lives"])
    func acceptsPlainSlugs(text: String) throws {
        #expect(try OrgSlug.forNewOrganization(text).rawValue == text)
    }

    @Test(arguments: ["-acme", "acme-", "-", "system", "tenants", "admin", "api", "ui", "callbacks", "sandbox",
                      "my-mpesa-shop", "safaricom", "sql-shop", "cmdshop", "query1", "exe"])
    func refusesNewSlugsThatCannotServe(text: String) {
        #expect(throws: PesaCoreError.self) { _ = try OrgSlug.forNewOrganization(text) }
    }

    @Test func aSlugAlreadyJournaledIsStillRead() throws {
        #expect(try OrgSlug("-old-").rawValue == "-old-")
        #expect(try OrgSlug("api").rawValue == "api")
    }
}
