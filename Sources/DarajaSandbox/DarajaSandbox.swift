public enum DarajaSandboxModule {
    public static let name = "DarajaSandbox"
}
