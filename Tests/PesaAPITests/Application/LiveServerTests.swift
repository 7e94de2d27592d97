import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PesaAPI
import PesaCore
import Testing

/// The same router served for real on loopback (`buildApplication`, `.live`).
@Suite struct LiveServerTests {
    @Test func servesTheContractOverTCP() async throws {
        let test = await TestApp()
        let app = buildApplication(
            configuration: test.configuration(), serverConfiguration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: test.logs.logger()
        ) { routes in ProbeController().addRoutes(to: routes) }
        try await app.test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.requestID]?.hasPrefix("req_") == true)
            }
            try await client.execute(uri: "/v1/whoami", method: .get) { response in
                #expect(response.status == .unauthorized)
                let error = try ErrorBody.decode(response)
                #expect(response.headers[.requestID] == error.request_id)
            }
        }
        #expect(test.logs.all.contains { $0.contains("route=/healthz") && $0.contains("status=200") })
    }
}
