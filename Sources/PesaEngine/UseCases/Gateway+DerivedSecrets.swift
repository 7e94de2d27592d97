import Crypto
import PesaStore

extension Gateway {
    /// `count` characters of `alphabet` derived from the master key for `purpose` and `context`: the same text on
    /// every start with the same master key, written nowhere (for the demo's login and API key, which
    /// `pesa serve --demo` prints again at each start). Characters are drawn from HMAC-SHA256 blocks without
    /// modulo bias (bytes past the largest multiple of the alphabet's size are skipped).
    public func derivedText(purpose: String, context: String, alphabet: [Character], count: Int) -> String {
        precondition((2...256).contains(alphabet.count), "an alphabet of 2 to 256 characters")
        let key = masterKey.derivedKey(purpose: purpose, context: context)
        let usable = 256 - 256 % alphabet.count
        var text: [Character] = []
        var block: UInt32 = 0
        while text.count < count {
            let code = HMAC<SHA256>.authenticationCode(for: Array("\(context)/\(block)".utf8), using: key)
            for byte in code where Int(byte) < usable && text.count < count {
                text.append(alphabet[Int(byte) % alphabet.count])
            }
            block += 1
        }
        return String(text)
    }
}
