@testable import PesaEngine
import Testing

/// Which addresses webhooks may go to: a table of addresses, and hosts resolved for real.
@Suite struct WebhookAddressPolicyTests {
    static let publicAddresses = [
        "1.1.1.1", "8.8.8.8", "93.184.216.34", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
        "192.0.1.1", "192.169.0.1", "198.17.255.255", "198.20.0.0", "223.255.255.255", "11.0.0.1",
        "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "::ffff:1.1.1.1",
        "2002:0808:0808::1", "2001:db9::1", "fbff::1",
    ]

    static let notPublicAddresses = [
        // IPv4
        "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255", "127.0.0.1",
        "127.255.255.254", "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255", "192.0.0.8",
        "192.0.2.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "255.255.255.255",
        // IPv6
        "::", "::1", "fc00::1", "fd12:3456::1", "fd00:ec2::254", "fe80::1", "febf::1", "ff02::1", "ff05::1:3",
        "64:ff9b::7f00:1", "64:ff9b::808:808", "2001:db8::1", "2001:db8:ffff::1",
        // IPv6 carrying IPv4: mapped, compatible, translated and 6to4 forms of private addresses.
        "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1",
        "::10.1.1.1", "::ffff:0:192.168.0.1", "2002:7f00:1::1", "2002:a9fe:a9fe::",
        // Not addresses.
        "", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "::g", "example.com", "[::1]",
    ]

    @Test(arguments: WebhookAddressPolicyTests.publicAddresses) func publicAddressIsPublic(ip: String) {
        #expect(WebhookAddressPolicy.isPublic(ip))
    }

    @Test(arguments: WebhookAddressPolicyTests.notPublicAddresses) func privateOrReservedAddressIsNot(ip: String) {
        #expect(!WebhookAddressPolicy.isPublic(ip))
    }

    @Test func loopbackAndMetadataHostsAreRefused() async throws {
        let policy = WebhookAddressPolicy(allowPrivate: false)
        for url in [
            "http://localhost/", "http://127.0.0.1:8080/", "https://[::1]/", "http://169.254.169.254/",
            "http://[::ffff:127.0.0.1]/", "http://2130706433/", "http://0x7f.1/",
        ] {
            let target = try WebhookTarget.parse(url, requireHTTPS: false)
            let error = await #expect(throws: WebhookError.self, "\(url)") { try await policy.resolve(target) }
            #expect(error?.message.contains("is not a public address") == true, "\(url): \(error?.message ?? "")")
            #expect(error?.param == "url")
        }
    }

    @Test func allowingPrivateAddressesLetsLoopbackThrough() async throws {
        let policy = WebhookAddressPolicy(allowPrivate: true)
        #expect(
            try await policy.resolve(WebhookTarget.parse("http://127.0.0.1:9/", requireHTTPS: false)) == ["127.0.0.1"])
        #expect(try await policy.resolve(WebhookTarget.parse("http://[::1]:9/", requireHTTPS: false)) == ["::1"])
        let localhost = try await policy.resolve(WebhookTarget.parse("http://localhost/", requireHTTPS: false))
        #expect(localhost.contains("127.0.0.1"))
    }

    @Test func publicLiteralResolvesToItself() async throws {
        let policy = WebhookAddressPolicy(allowPrivate: false)
        #expect(try await policy.resolve(WebhookTarget.parse("https://1.1.1.1/", requireHTTPS: true)) == ["1.1.1.1"])
        let v6 = try WebhookTarget.parse("https://[2606:4700:4700::1111]/", requireHTTPS: true)
        #expect(try await policy.resolve(v6) == ["2606:4700:4700::1111"])
    }

    @Test func unknownHostIsRefused() async throws {
        let target = try WebhookTarget.parse("https://no-such-host.invalid/", requireHTTPS: true)
        let error = await #expect(throws: WebhookError.self) {
            try await WebhookAddressPolicy(allowPrivate: true).resolve(target)
        }
        #expect(error?.message.contains("no-such-host.invalid") == true)
    }

    /// A lookup is reused for a few seconds, and what it found is checked again at every use: a loopback name
    /// looked up while private addresses were allowed is still refused once they are not.
    @Test func aLookupIsReusedAndCheckedAtEveryUse() async throws {
        let target = try WebhookTarget.parse("http://localhost/", requireHTTPS: false)
        let first = try await WebhookAddressPolicy(allowPrivate: true).resolve(target)
        #expect(WebhookLookups.shared.addresses(of: "localhost") == first)
        #expect(try await WebhookAddressPolicy(allowPrivate: true).resolve(target) == first)
        let refused = await #expect(throws: WebhookError.self) {
            _ = try await WebhookAddressPolicy(allowPrivate: false).resolve(target)
        }
        #expect(refused?.param == "url")
    }
}
