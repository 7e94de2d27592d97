// PesaAPI: buildApplication/buildRouter, request contexts, controllers, middleware, the error map, dashboard.
// Built by the server-core issue.
public enum PesaAPIModule {
    public static let name = "PesaAPI"
}
