import Testing

@Test func PesaEngineTestsBuilds() {
    #expect(Bool(true))
}
