import PesaTesting
import AsyncHTTPClient
import DarajaSandbox
import DarajaWire
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// A running sandbox and recorder, driven with raw HTTP (as any integrator's SDK would).
struct RawHarness {
    let sandbox: DarajaSandbox
    let recorder: CallbackRecorder
    let http: HTTPClient
    let base: String
    let callbackBase: String

    struct Answer {
        let status: Int
        let body: Data
        var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: body) }
        var envelope: ErrorEnvelope? { try? JSONDecoder().decode(ErrorEnvelope.self, from: body) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
    }

    func send(_ method: HTTPMethod, _ path: String, body: String? = nil, headers: [(String, String)] = []) async throws
        -> Answer
    {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), body: Data(bytes.readableBytesView))
    }

    func token() async throws -> String {
        let basic = Data("key:secret".utf8).base64EncodedString()
        let answer = try await send(
            .GET, "/oauth/v1/generate?grant_type=client_credentials", headers: [("Authorization", "Basic \(basic)")]
        )
        return try answer.decode(AccessTokenResponse.self).accessToken
    }

    func post(_ path: String, _ body: String, token: String) async throws -> Answer {
        try await send(.POST, path, body: body, headers: [("Authorization", "Bearer \(token)")])
    }

    func callbackURL(_ name: String) -> String { callbackBase + "/" + name }

    static func run(
        _ configuration: SandboxConfiguration = SandboxConfiguration(callbackDelayMs: 5),
        _ body: (RawHarness) async throws -> Void
    ) async throws {
        try await SandboxServices.run(configuration) { services in
            try await body(RawHarness(
                sandbox: services.sandbox, recorder: services.recorder, http: services.httpClient,
                base: services.baseURL, callbackBase: services.callbackBase))
        }
    }
}

/// The set of key paths of a JSON document (`Body.stkCallback.ResultCode`, array elements merged).
func keyPaths(_ value: JSONValue, prefix: String = "") -> Set<String> {
    switch value {
    case .object(let object):
        var paths = Set<String>()
        for (key, child) in object {
            let path = prefix.isEmpty ? key : prefix + "." + key
            paths.insert(path)
            paths.formUnion(keyPaths(child, prefix: path))
        }
        return paths
    case .array(let array):
        return array.reduce(into: Set<String>()) { $0.formUnion(keyPaths($1, prefix: prefix + "[]")) }
    default:
        return []
    }
}

/// The `Key`/`Name` labels inside a JSON document, for comparing parameter lists.
func labels(_ value: JSONValue) -> Set<String> {
    switch value {
    case .object(let object):
        var found = Set<String>()
        for (key, child) in object {
            if key == "Key" || key == "Name", case .string(let label) = child { found.insert(label) }
            found.formUnion(labels(child))
        }
        return found
    case .array(let array):
        return array.reduce(into: Set<String>()) { $0.formUnion(labels($1)) }
    default:
        return []
    }
}
