import Testing

@Test func PesaStoreTestsBuilds() {
    #expect(Bool(true))
}
