import Testing

@Test func DarajaSandboxTestsBuilds() {
    #expect(Bool(true))
}
