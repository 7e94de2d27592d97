public enum PesaStoreModule {
    public static let name = "PesaStore"
}
