import Testing

@testable import PesaAPI

/// First answers holding a secret, in memory: per key, within the window, the oldest forgotten first.
@Suite struct SecretAnswersTests {
    static func answer(_ byte: UInt8) -> SecretAnswers.Answer {
        SecretAnswers.Answer(bytes: [byte], resourceID: "key_\(byte)")
    }

    @Test func answersAreKeptPerKeyWithinTheWindowAndBounded() {
        let answers = SecretAnswers(countMax: 2, windowMs: 1_000)
        let first = SecretAnswers.key("org_a", "usr_1", "k", "h")
        #expect(first != SecretAnswers.key("org_a", "usr_2", "k", "h"))
        #expect(answers.answer(for: first, nowMs: 0) == nil)
        answers.keep(Self.answer(1), for: first, nowMs: 0)
        #expect(answers.answer(for: first, nowMs: 999) == Self.answer(1))
        #expect(answers.answer(for: first, nowMs: 1_000) == nil)
        #expect(answers.answer(for: SecretAnswers.key("org_a", "usr_2", "k", "h"), nowMs: 1) == nil)
        answers.keep(Self.answer(2), for: "second", nowMs: 10)
        answers.keep(Self.answer(3), for: "third", nowMs: 20)
        #expect(answers.answer(for: first, nowMs: 30) == nil)
        #expect(answers.answer(for: "second", nowMs: 30) == Self.answer(2))
        #expect(answers.answer(for: "third", nowMs: 30) == Self.answer(3))
    }
}
