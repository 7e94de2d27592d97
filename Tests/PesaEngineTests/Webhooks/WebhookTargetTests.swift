import PesaEngine
import Testing

/// Endpoint URLs: what is read from them, and what is refused with which words.
@Suite struct WebhookTargetTests {
    @Test func partsAreReadWithTheirDefaults() throws {
        let cases: [(String, WebhookTarget)] = [
            (
                "https://Hooks.Example.COM",
                WebhookTarget(scheme: "https", host: "hooks.example.com", port: 443, pathAndQuery: "/")
            ),
            (
                "HTTP://example.com:8080/a/b?c=d&e",
                WebhookTarget(scheme: "http", host: "example.com", port: 8080, pathAndQuery: "/a/b?c=d&e")
            ),
            (
                "https://example.com?x=1",
                WebhookTarget(scheme: "https", host: "example.com", port: 443, pathAndQuery: "/?x=1")
            ),
            (
                "https://[2606:4700::1111]:8443/hook",
                WebhookTarget(scheme: "https", host: "2606:4700::1111", port: 8443, pathAndQuery: "/hook")
            ),
            (
                "http://93.184.216.34/p%20q",
                WebhookTarget(scheme: "http", host: "93.184.216.34", port: 80, pathAndQuery: "/p%20q")
            ),
        ]
        for (text, expected) in cases {
            #expect(try WebhookTarget.parse(text, requireHTTPS: false) == expected, "\(text)")
        }
    }

    @Test func hostHeaderAndDescriptionBracketIPv6AndKeepOnlyOtherPorts() throws {
        let v6 = try WebhookTarget.parse("https://[2606:4700::1111]:8443/hook", requireHTTPS: true)
        #expect(v6.hostHeader == "[2606:4700::1111]:8443")
        #expect(v6.description == "https://[2606:4700::1111]:8443/hook")
        let plain = try WebhookTarget.parse("https://example.com:443", requireHTTPS: true)
        #expect(plain.hostHeader == "example.com")
        #expect(plain.description == "https://example.com/")
    }

    @Test func refusalsNameTheProblem() {
        let cases: [(String, String)] = [
            ("", "is empty"),
            ("ftp://example.com/", "must use https or http, not ftp"),
            ("example.com/hook", "must start with https:// or http://"),
            ("https://user:pass@example.com/", "must not carry a user name or password"),
            ("https://token@example.com/", "must not carry a user name or password"),
            ("https://example.com/#top", "must not have a fragment"),
            ("https:///path", "has no host"),
            ("https://:443/", "has no host"),
            ("https://example.com:0/", "has an invalid port"),
            ("https://example.com:65536/", "has an invalid port"),
            ("https://example.com:+80/", "has an invalid port"),
            ("https://example.com:/", "has an invalid port"),
            ("https://[::1/", "unclosed ["),
            ("https://[not-v6]/", "invalid IPv6 address"),
            ("https://[::1]x/", "characters after its IPv6 address"),
            ("https://exa mple.com/", "has spaces"),
            ("https://exämple.com/", "non-ASCII"),
            ("https://exa%6dple.com/", "characters a host name cannot have"),
            ("https://example.com/" + String(repeating: "a", count: 2048), "longer than 2048 characters"),
        ]
        for (text, problem) in cases {
            let error = #expect(throws: WebhookError.self, "\(text)") {
                try WebhookTarget.parse(text, requireHTTPS: false)
            }
            #expect(error?.param == "url")
            #expect(error?.message.contains(problem) == true, "\(text): \(error?.message ?? "")")
            #expect(error?.message.hasPrefix("the URL ") == true)
        }
    }

    @Test func httpIsRefusedWhenHTTPSIsRequired() throws {
        let error = #expect(throws: WebhookError.self) {
            try WebhookTarget.parse("http://example.com/", requireHTTPS: true)
        }
        #expect(error?.message == "the URL must use https")
        #expect(try WebhookTarget.parse("https://example.com/", requireHTTPS: true).scheme == "https")
    }

    @Test func longestURLIsAccepted() throws {
        let text = "https://example.com/" + String(repeating: "a", count: 2048 - 20)
        #expect(text.count == 2048)
        #expect(try WebhookTarget.parse(text, requireHTTPS: true).pathAndQuery.count == 2048 - 19)
    }
}
