import Testing

@Test func PesaCoreTestsBuilds() {
    #expect(Bool(true))
}
