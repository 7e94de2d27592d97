import Testing

@Test func DarajaClientTestsBuilds() {
    #expect(Bool(true))
}
