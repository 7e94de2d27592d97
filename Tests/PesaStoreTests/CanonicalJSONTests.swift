import Foundation
import PesaCore
import Testing

@testable import PesaStore

/// The one byte form of a line's `data` (data-layout.md, "Canonical JSON"): what the writer produces passes,
/// every other spelling of the same JSON is refused.
@Suite struct CanonicalJSONTests {
    private func isCanonical(_ text: String) -> Bool {
        CanonicalJSON.isCanonicalObject(Array(text.utf8)[...])
    }

    /// Every C0 control character, DEL, the characters JSON escapes, `/` and text beyond ASCII, as the event
    /// encoder writes them: short escapes for backspace, tab, newline, form feed and carriage return,
    /// `\u00XX` in lower case for the rest, everything else raw.
    @Test func theEncodersBytesAreCanonicalAndAsDocumented() throws {
        var text = ""
        for scalar in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        text += "\u{7f}\"\\/é€😀"
        let event = TenantEvent.auditRecorded(.init(actor: "system", action: text, target: "", requestID: "req_1"))
        let data = event.canonicalData()
        #expect(CanonicalJSON.isCanonicalObject(data[...]))
        let written = String(decoding: data, as: UTF8.self)
        let expected = #"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
            + "\u{7f}\\\"\\\\/é€😀"
        #expect(written.contains(#""action":""# + expected + #"""#), "\(written)")
        #expect(try TenantEvent(type: event.type, data: data[...]) == event)
    }

    @Test(arguments: [
        #"{}"#, #"{"a":1}"#, #"{"a":-1,"b":0}"#, #"{"a":9223372036854775807,"b":-9223372036854775808}"#,
        #"{"a":[],"b":[1,"x",true,false,{}]}"#, #"{"A":1,"_":2,"a":3,"a-b":4,"a10":5,"a9":6}"#,
        #"{"\u0001":1,"\n":2,"!":3}"#, #"{"a":"\u001f\b\t\n\f\r\"\\/"}"#,
    ])
    func acceptsCanonicalObjects(text: String) {
        #expect(isCanonical(text))
    }

    static let otherSpellings: [(String, String)] = [
        ("whitespace", #"{"a": 1}"#), ("trailing newline", "{\"a\":1}\n"), ("keys out of order", #"{"b":1,"a":2}"#),
        ("a key twice", #"{"a":1,"a":2}"#), ("null", #"{"a":null}"#), ("a fraction", #"{"a":1.0}"#),
        ("an exponent", #"{"a":1e2}"#), ("a leading zero", #"{"a":01}"#), ("minus zero", #"{"a":-0}"#),
        ("past Int64", #"{"a":9223372036854775808}"#), ("an escaped slash", #"{"a":"\/"}"#),
        ("upper-case hex", #"{"a":"\u001F"}"#), (#"tab as \u0009"#, #"{"a":"\u0009"}"#),
        ("an escaped letter", #"{"a":"\u0041"}"#), ("an escaped non-ASCII character", #"{"a":"\u00e9"}"#),
        ("a raw control character", "{\"a\":\"\u{1}\"}"), ("not an object", #"[1]"#),
        ("bytes after the object", #"{"a":1}{}"#), ("an unknown escape", #"{"a":"\x"}"#),
        ("an unterminated string", #"{"a":"x}"#), ("true misspelled", #"{"a":tru}"#),
        ("too deep", "{\"a\":" + String(repeating: "[", count: 16) + String(repeating: "]", count: 16) + "}"),
    ]

    @Test(arguments: otherSpellings)
    func refusesEveryOtherSpelling(why: String, text: String) {
        #expect(!isCanonical(text), "\(why)")
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(!CanonicalJSON.isCanonicalObject(Array(#"{"a":""#.utf8) + [0xc3] + Array(#""}"#.utf8)))
        #expect(!CanonicalJSON.isCanonicalObject(Array(#"{"a":""#.utf8) + [0xed, 0xa0, 0x80] + Array(#""}"#.utf8)))
    }

    /// The deepest nesting allowed passes.
    @Test func nestsUpToTheLimit() {
        let depth = Limits.journalDataDepthMax - 1
        #expect(
            isCanonical("{\"a\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"))
    }
}
