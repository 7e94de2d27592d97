public import Hummingbird
import HTTPTypes
public import Logging

/// The gateway's HTTP application: `buildRouter` served with `serverConfiguration`. The caller adds its
/// services (tenant registry, outbound clients) with `addServices` and runs it.
public func buildApplication(
    configuration: APIConfiguration, serverConfiguration: ApplicationConfiguration, logger: Logger,
    addRoutes: (APIRoutes) throws -> Void = { _ in }
) rethrows -> Application<RouterResponder<PesaRequestContext>> {
    let router = try buildRouter(configuration: configuration, addRoutes: addRoutes)
    return Application(router: router, configuration: serverConfiguration, logger: logger)
}
