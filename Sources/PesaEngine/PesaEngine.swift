// PesaEngine: one actor per tenant (sole writer of its folder), the tenant registry and the use cases.
// Built by the server-core issue; the module exists so the layering in Package.swift is fixed from the start.
public enum PesaEngineModule {
    public static let name = "PesaEngine"
}
