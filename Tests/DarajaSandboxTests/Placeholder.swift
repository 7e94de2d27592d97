import Testing

@Test func DarajaSandboxTestsPlaceholder() {
    #expect(Bool(true))
}
