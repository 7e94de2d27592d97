/// The contract's error object: `{"error": {"type", "code", "message", "param"?, "request_id"}}`.
struct ErrorEnvelope: Encodable, Sendable {
    struct Body: Encodable, Sendable {
        let type: String
        let code: String
        let message: String
        let param: String?
        let requestID: String
        /// Every invalid field, when a request has several (a batch's rows); left out otherwise.
        var errors: [FieldProblem]?

        enum CodingKeys: String, CodingKey {
            case type, code, message, param, errors
            case requestID = "request_id"
        }
        // `param` is left out when nil (synthesised Encodable uses encodeIfPresent).
    }

    let error: Body
}

/// One entry of `errors`: `{"param": "items[7].phone", "message": …}`.
struct FieldProblem: Encodable, Sendable {
    let param: String
    let message: String
}
