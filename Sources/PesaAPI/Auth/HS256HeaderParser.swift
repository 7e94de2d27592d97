import Foundation
import JWTKit

/// jwt-kit's own parser, plus the one check jwt-kit 5 leaves out: the header must say `"alg": "HS256"`.
///
/// jwt-kit refuses by itself a token with `alg: none` and no signature, one signed with another algorithm or
/// key (`HS512`, `RS256`), and one whose header or payload was changed after signing (AccessTokenAlgorithmTests
/// proves each). But it verifies the signature with the key's own algorithm and never compares the header's `alg`
/// with it: a token signed with our HS256 key whose header names `none`, `RS256` or nothing at all passes jwt-kit.
/// Only the key's holder can make one, but it is not a token we issue; this parser, which jwt-kit runs after the
/// signature checked out, refuses it.
struct HS256HeaderParser: JWTParser {
    var jsonDecoder: any JWTJSONDecoder = .defaultForJWT

    func parse<Payload: JWTPayload>(
        _ token: some DataProtocol, as payload: Payload.Type
    ) throws -> (header: JWTHeader, payload: Payload, signature: Data) {
        let parsed = try DefaultJWTParser(jsonDecoder: jsonDecoder).parse(token, as: Payload.self)
        guard parsed.header.alg == "HS256" else {
            throw JWTError.invalidHeaderField(reason: "alg is not HS256")
        }
        return parsed
    }
}
