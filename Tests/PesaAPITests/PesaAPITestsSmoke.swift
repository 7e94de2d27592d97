import Testing

@Test func PesaAPITestsBuilds() {
    #expect(Bool(true))
}
