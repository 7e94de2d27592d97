import Foundation
import PesaTesting
import Testing

/// No client can cause a 500: requests that are not valid HTTP/1.1, sent over plain sockets to the real
/// server, are answered 400 or 431 in the contract's error shape, and each is logged once, at warning level.
@Suite(.serialized) struct MalformedRequestEndToEndTests {
    static let post = "POST /v1/payments/stk-push HTTP/1.1\r\nHost: pesa\r\nContent-Type: application/json\r\n"

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: String
        /// Close the sending side after the bytes (the request ends there).
        let endsInput: Bool
        let status: Int
        let code: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "truncated body, then the end of the input",
            bytes: post + "Content-Length: 100\r\n\r\n{\"phone\":\"0708374149\"}", endsInput: true, status: 400,
            code: "BAD_REQUEST"),
        Case(
            name: "bad chunk size", bytes: post + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
            endsInput: false, status: 400, code: "BAD_REQUEST"),
        Case(
            name: "conflicting Content-Lengths", bytes: post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            endsInput: false, status: 400, code: "BAD_REQUEST"),
        Case(
            name: "control byte in a header", bytes: "GET /healthz HTTP/1.1\r\nHost: pesa\r\nX-Bad: a\u{01}b\r\n\r\n",
            endsInput: false, status: 400, code: "BAD_REQUEST"),
        Case(
            name: "header line over the limit",
            bytes: "GET /healthz HTTP/1.1\r\nHost: pesa\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n",
            endsInput: false, status: 431, code: "HEADERS_TOO_LARGE"),
        Case(
            name: "not HTTP at all",
            bytes: "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}\r\n\r\n",
            endsInput: false, status: 400, code: "BAD_REQUEST"),
    ]

    @Test(arguments: cases)
    func aMalformedRequestIsAnsweredInTheErrorShapeAndLoggedOnceAsAWarning(_ malformed: Case) async throws {
        let temp = TemporaryDirectory("e2e-malformed")
        defer { temp.remove() }
        let server = ServerProcess(dataDirectory: temp.path)
        try await server.start()
        defer { server.stop() }
        let client = try RawConnection(port: server.port)
        client.send(malformed.bytes)
        if malformed.endsInput { client.shutdownWrite() }
        let answer = try #require(client.readResponse(forSeconds: 5), "no answer")
        #expect(answer.status == malformed.status)
        #expect(answer.headers["content-type"] == "application/json; charset=utf-8")
        let error = try #require(answer.error, "\(String(decoding: answer.body, as: UTF8.self))")
        #expect(error["code"] as? String == malformed.code)
        #expect(error["type"] as? String == "invalid_request_error")
        #expect((error["message"] as? String)?.isEmpty == false)
        let requestID = try #require(error["request_id"] as? String)
        #expect(answer.headers["x-request-id"] == requestID)
        // Bytes sent after the refusal change nothing: the connection is closed, nothing more is logged.
        client.send(String(repeating: "garbage\r\n", count: 100))
        #expect(client.read(forSeconds: 3).closed)
        #expect(try await server.request("GET", "/healthz").0 == 200)
        let lines = server.printed.split(separator: "\n")
        let warnings = lines.filter { $0.contains(" warning ") && $0.contains("refused") }
        #expect(warnings.count == 1, "\(server.printed)")
        #expect(!lines.contains { $0.contains(" error ") || $0.contains(" critical ") })
    }
}
