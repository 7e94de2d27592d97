import Testing

@Test func DarajaClientTestsPlaceholder() {
    #expect(Bool(true))
}
