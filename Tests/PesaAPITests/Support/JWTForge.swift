import Crypto
import Foundation

/// Hand-made JWTs, to forge what jwt-kit would never produce.
enum JWTForge {
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func part(_ json: String) -> String { base64URL(Data(json.utf8)) }

    static func hs256(_ signingInput: String, key: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: key))
        return base64URL(Data(mac))
    }

    static func hs512(_ signingInput: String, key: [UInt8]) -> String {
        let mac = HMAC<SHA512>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: key))
        return base64URL(Data(mac))
    }

    /// A token with `header` and `payload` JSON, signed HS256 with `key`.
    static func signed(header: String = #"{"alg":"HS256","typ":"JWT"}"#, payload: String, key: [UInt8]) -> String {
        let input = part(header) + "." + part(payload)
        return input + "." + hs256(input, key: key)
    }

    static func claims(
        sub: String, org: String?, role: String, iat: Int64, exp: Int64, jti: String = "jti-1"
    ) -> String {
        let orgField = org.map { #","org":"\#($0)""# } ?? ""
        return #"{"sub":"\#(sub)"\#(orgField),"role":"\#(role)","iat":\#(iat),"exp":\#(exp),"jti":"\#(jti)"}"#
    }
}
