import Hummingbird
import PesaCore
import PesaEngine

/// Webhooks to the organization's own systems (org_admin): endpoints (`/v1/webhook-endpoints`, the secret shown
/// once at creation and rotation), the organization's events (`/v1/events`) and every delivery attempt
/// (`/v1/webhook-deliveries`), with a retry of one delivery, a recovery over a window and a test `ping`.
struct WebhooksController: Sendable {
    let gateway: Gateway

    func addRoutes(to routes: APIRoutes) {
        routes.add(Self.createSpec, use: create)
        routes.add(Self.listSpec, use: list)
        routes.add(Self.readSpec, use: read)
        routes.add(Self.updateSpec, use: update)
        routes.add(Self.deleteSpec, use: delete)
        routes.add(Self.rotateSpec, use: rotate)
        routes.add(Self.testSpec, use: test)
        routes.add(Self.recoverSpec, use: recover)
        routes.add(Self.eventsSpec, use: events)
        routes.add(Self.eventSpec, use: event)
        routes.add(Self.deliveriesSpec, use: deliveries)
        routes.add(Self.retrySpec, use: retry)
    }

    struct EndpointBody: Codable, Sendable {
        let url: String?
        let events: [String]?
        let description: String?
        let enabled: Bool?

        var input: WebhookEndpointInput {
            WebhookEndpointInput(url: url, events: events, description: description, enabled: enabled)
        }
    }

    struct RecoverBody: Codable, Sendable {
        let since: String
        let until: String?
    }

    struct Recovered: ResponseEncodable, Sendable {
        let recovered: Int
    }

    @Sendable func create(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let (organization, actor) = try caller(request, context: context)
        let body = try await request.decodeJSON(as: EndpointBody.self, context: context)
        let made = try await gateway.createWebhookEndpoint(body.input, in: organization, by: actor)
        var response = try WebhookEndpointJSON(made.endpoint, secret: made.secret).response(
            from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func list(_ request: Request, context: PesaRequestContext) async throws
        -> ListResponse<WebhookEndpointJSON>
    {
        let (organization, actor) = try caller(request, context: context)
        let endpoints = try await gateway.webhookEndpoints(in: organization, by: actor)
        return ListResponse(data: endpoints.map { WebhookEndpointJSON($0) }, nextCursor: nil)
    }

    @Sendable func read(_ request: Request, context: PesaRequestContext) async throws -> WebhookEndpointJSON {
        let (organization, actor) = try caller(request, context: context)
        return WebhookEndpointJSON(try await gateway.webhookEndpoint(try id(context), in: organization, by: actor))
    }

    @Sendable func update(_ request: Request, context: PesaRequestContext) async throws -> WebhookEndpointJSON {
        let (organization, actor) = try caller(request, context: context)
        let body = try await request.decodeJSON(as: EndpointBody.self, context: context)
        return WebhookEndpointJSON(
            try await gateway.updateWebhookEndpoint(try id(context), body.input, in: organization, by: actor))
    }

    @Sendable func delete(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let (organization, actor) = try caller(request, context: context)
        try await gateway.deleteWebhookEndpoint(try id(context), in: organization, by: actor)
        return Response(status: .noContent)
    }

    @Sendable func rotate(_ request: Request, context: PesaRequestContext) async throws -> WebhookEndpointJSON {
        let (organization, actor) = try caller(request, context: context)
        let rotated = try await gateway.rotateWebhookSecret(try id(context), in: organization, by: actor)
        return WebhookEndpointJSON(rotated.endpoint, secret: rotated.secret)
    }

    @Sendable func test(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let (organization, actor) = try caller(request, context: context)
        let event = try await gateway.sendWebhookTest(try id(context), in: organization, by: actor)
        var response = try WebhookEventJSON(event).response(from: request, context: context)
        response.status = .accepted
        return response
    }

    @Sendable func recover(_ request: Request, context: PesaRequestContext) async throws -> Recovered {
        let (organization, actor) = try caller(request, context: context)
        let body = try await request.decodeJSON(as: RecoverBody.self, context: context)
        let since = try TimeRange.parse(body.since, param: "since")
        let until = try body.until.map { text throws(APIError) in try TimeRange.parse(text, param: "until") }
        return Recovered(
            recovered: try await gateway.recoverWebhookDeliveries(
                endpoint: try id(context), sinceMs: since, untilMs: until, in: organization, by: actor))
    }

    @Sendable func events(_ request: Request, context: PesaRequestContext) async throws
        -> ListResponse<WebhookEventJSON>
    {
        let (organization, actor) = try caller(request, context: context)
        let page = try PageRequest(request: request)
        let type = try request.uri.queryParameters["type"].map { (text) throws(APIError) -> WebhookEventType in
            guard let type = WebhookEventType(rawValue: String(text)) else {
                throw .invalidField("type", "unknown event type \(text)")
            }
            return type
        }
        let found = try await gateway.webhookEvents(
            type: type, after: page.cursor?.position, limit: page.limit, in: organization, by: actor)
        return ListResponse(
            data: found.items.map { WebhookEventJSON($0) },
            nextCursor: found.more ? found.items.last.map { PageCursor(position: $0.id.rawValue) } : nil)
    }

    /// The event as its deliveries carry it (`data`: the object as its route shows it now), with what it is about
    /// and its deliveries.
    @Sendable func event(_ request: Request, context: PesaRequestContext) async throws -> Response {
        let (organization, actor) = try caller(request, context: context)
        let renderer = APIWebhookRenderer(settings: gateway.payments)
        let bytes = try await gateway.webhookEventDocument(try id(context), in: organization, by: actor) {
            renderer.document(of: $0, deliveries: $1, in: $2)
        }
        return InvoicesController.text(String(decoding: bytes, as: UTF8.self), type: "application/json")
    }

    @Sendable func deliveries(_ request: Request, context: PesaRequestContext) async throws
        -> ListResponse<WebhookDeliveryJSON>
    {
        let (organization, actor) = try caller(request, context: context)
        let page = try PageRequest(request: request)
        let query = request.uri.queryParameters
        var filter = WebhookDeliveryFilter()
        if let text = query["status"] {
            guard let status = WebhookDeliveryStatus(rawValue: String(text)) else {
                throw APIError.invalidField("status", "status is pending, succeeded or failed")
            }
            filter.status = status
        }
        if let text = query["endpoint"] {
            guard let endpoint = try? WebhookEndpointID(parsing: String(text)) else {
                throw APIError.invalidField("endpoint", "endpoint is a webhook endpoint id (whk_…)")
            }
            filter.endpoint = endpoint
        }
        if let text = query["event"] {
            guard let event = try? EventID(parsing: String(text)) else {
                throw APIError.invalidField("event", "event is an event id (evt_…)")
            }
            filter.event = event
        }
        let found = try await gateway.webhookDeliveries(
            filter, after: page.cursor?.position, limit: page.limit, in: organization, by: actor)
        return ListResponse(
            data: found.items.map { WebhookDeliveryJSON($0.delivery, type: $0.type) },
            nextCursor: found.more ? found.items.last.map { PageCursor(position: $0.delivery.id.rawValue) } : nil)
    }

    @Sendable func retry(_ request: Request, context: PesaRequestContext) async throws -> WebhookDeliveryJSON {
        let (organization, actor) = try caller(request, context: context)
        let delivery = try await gateway.retryWebhookDelivery(try id(context), in: organization, by: actor)
        let found = try await gateway.webhookEvent(delivery.eventID.rawValue, in: organization, by: actor)
        return WebhookDeliveryJSON(delivery, type: found.event.type)
    }

    private func caller(_ request: Request, context: PesaRequestContext) throws -> (OrganizationID, Actor) {
        let identity = try context.requireIdentity()
        return (try context.targetOrganization(request), identity.actor(requestID: context.requestID))
    }

    private func id(_ context: PesaRequestContext) throws -> String {
        guard let id = context.parameters.get("id") else { throw APIError.notFound() }
        return id
    }
}
