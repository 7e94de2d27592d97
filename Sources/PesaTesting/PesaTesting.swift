public enum PesaTestingModule {
    public static let name = "PesaTesting"
}
