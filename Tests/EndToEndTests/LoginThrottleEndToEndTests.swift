import Foundation
import PesaCore
import PesaTesting
import Testing

/// Failed logins on the real `pesa serve`, from two client addresses (127.0.0.2 and 127.0.0.3, both loopback):
/// wrong passwords from one address refuse that address, never the right password from the other, the
/// super admin's included.
@Suite(.serialized) struct LoginThrottleEndToEndTests {
    @Test func wrongPasswordsFromOneAddressNeverLockTheOwnerOutFromAnother() async throws {
        let temp = TemporaryDirectory("e2e-login-throttle")
        defer { temp.remove() }
        let server = ServerProcess(
            dataDirectory: temp.path,
            environment: ["PESA_ADMIN_EMAIL": "root@example.com", "PESA_ADMIN_PASSWORD": "root-password-1"])
        try await server.start()
        defer { server.stop() }
        let attacker = BoundLoopbackClient(sourceAddress: "127.0.0.2", port: server.port)
        let owner = BoundLoopbackClient(sourceAddress: "127.0.0.3", port: server.port)
        let wrong = ["email": "root@example.com", "password": "not-the-password"]
        let right = ["email": "root@example.com", "password": "root-password-1"]

        let burst = Int(Limits.loginFailuresPerEmailAndAddressBurstCount)
        for attempt in 0..<burst {
            #expect(try attacker.post("/v1/auth/login", json: wrong).0 == 401, "attempt \(attempt)")
        }
        let (refused, headers, body) = try attacker.post("/v1/auth/login", json: right)
        #expect(refused == 429)
        #expect(headers["retry-after"] != nil)
        #expect((body?["error"] as? [String: Any])?["code"] as? String == "RATE_LIMITED")

        let (status, _, token) = try owner.post("/v1/auth/login", json: right)
        #expect(status == 200)
        #expect(token?["access_token"] is String)
        // A wrong password from the owner's address is its own first failure, not a refusal.
        #expect(try owner.post("/v1/auth/login", json: wrong).0 == 401)
        #expect(try owner.post("/v1/auth/login", json: right).0 == 200)
        #expect(try attacker.post("/v1/auth/login", json: right).0 == 429)
    }
}
