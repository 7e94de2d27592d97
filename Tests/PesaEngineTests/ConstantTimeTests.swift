import PesaEngine
import Testing

@Suite struct ConstantTimeTests {
    @Test func equalSecretsMatchAndAnyDifferenceDoesNot() {
        let token = "cbt_3f9a1c2e7d4b8a6f0e1d2c3b4a596877"
        #expect(ConstantTime.equals(token, token))
        #expect(ConstantTime.equals(Array(token.utf8), Array(token.utf8)))
        #expect(ConstantTime.equals("", ""))
        // A difference at the start, in the middle, at the end; a prefix; a longer text; another case.
        var last = Array(token.utf8)
        last[last.count - 1] ^= 1
        for other in ["db" + token.dropFirst(2), String(decoding: last, as: UTF8.self), String(token.dropLast()),
            token + "0", token.uppercased(), ""]
        {
            #expect(!ConstantTime.equals(token, other), "\(other)")
            #expect(!ConstantTime.equals(other, token), "\(other)")
        }
    }
}
