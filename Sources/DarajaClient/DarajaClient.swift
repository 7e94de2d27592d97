public enum DarajaClientModule {
    public static let name = "DarajaClient"
}
