public enum DarajaWireModule {
    public static let name = "DarajaWire"
}
