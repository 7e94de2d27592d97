import Foundation
import PesaTesting
import Testing

@testable import PesaEngine

/// Our signatures checked by the Standard Webhooks reference library itself (its Python package,
/// `standardwebhooks`, which `scripts/ensure-test-tools` installs): what a receiver's own verification does.
/// Where Python or the package is missing the test is skipped; the known-answer test of `WebhookSignatureTests`
/// always runs.
@Suite struct StandardWebhooksLibraryTests {
    static let script = """
        import json, sys
        from standardwebhooks.webhooks import Webhook, WebhookVerificationError
        results = []
        for case in json.load(sys.stdin):
            headers = {"webhook-id": case["id"], "webhook-timestamp": case["timestamp"],
                       "webhook-signature": case["signature"]}
            try:
                Webhook(case["secret"]).verify(case["body"].encode(), headers, json_parse=False)
                results.append(True)
            except WebhookVerificationError:
                results.append(False)
        print(json.dumps(results))
        """

    static func python(_ input: Data, script: String) -> (status: Int32, output: Data)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    static let libraryInstalled: Bool = python(Data(), script: "import standardwebhooks")?.status == 0

    @Test(.enabled(if: libraryInstalled, "python3 with the standardwebhooks package (scripts/ensure-test-tools)"))
    func theReferenceLibraryVerifiesOurSignaturesAndRefusesTamperedOnes() async throws {
        let current = WebhookSecret.generate()
        let previous = WebhookSecret.generate()
        let timestamp = Int64(Date().timeIntervalSince1970)
        let body = #"{"created_at":"2026-12-07T10:00:00.000Z","data":{"amount":"20.00","id":"pay_1"},"#
            + #""id":"evt_01","type":"payment.succeeded","note":"ünïcödé / \"quoted\""}"#
        let id = "evt_01kbxq3m7n4r5s6t7v8w9x0y1z"
        let rotating = WebhookSignature.header(
            id: id, timestampSeconds: timestamp, body: Array(body.utf8), secrets: [current, previous])
        let single = WebhookSignature.header(
            id: id, timestampSeconds: timestamp, body: Array(body.utf8), secrets: [current])
        func check(_ secret: WebhookSecret, _ signature: String, body: String = body, id: String = id)
            -> [String: String]
        {
            ["secret": secret.text, "signature": signature, "body": body, "id": id, "timestamp": String(timestamp)]
        }
        let cases = [
            check(current, single), check(current, rotating), check(previous, rotating),
            check(WebhookSecret.generate(), rotating), check(current, single, body: body + " "),
            check(current, single, id: id + "x"),
        ]
        let input = try JSONSerialization.data(withJSONObject: cases)
        let script = Self.script
        let run = try #require(await Blocking.run { Self.python(input, script: script) })
        #expect(run.status == 0)
        let results = try #require(try JSONSerialization.jsonObject(with: run.output) as? [Bool])
        #expect(results == [true, true, true, false, false, false])
    }
}
