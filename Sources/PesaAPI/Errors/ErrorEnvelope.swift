/// The contract's error object: `{"error": {"type", "code", "message", "param"?, "request_id"}}`.
struct ErrorEnvelope: Encodable, Sendable {
    struct Body: Encodable, Sendable {
        let type: String
        let code: String
        let message: String
        let param: String?
        let requestID: String

        enum CodingKeys: String, CodingKey {
            case type, code, message, param
            case requestID = "request_id"
        }
        // `param` is left out when nil (synthesised Encodable uses encodeIfPresent).
    }

    let error: Body
}
