import Testing

@Test func DarajaWireTestsBuilds() {
    #expect(Bool(true))
}
