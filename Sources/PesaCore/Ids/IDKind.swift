/// What an id names: its prefix (`pay` for `pay_...`).
public protocol IDKind: Sendable {
    static var prefix: String { get }
}

public enum OrganizationIDKind: IDKind { public static let prefix = "org" }
public enum UserIDKind: IDKind { public static let prefix = "usr" }
public enum APIKeyIDKind: IDKind { public static let prefix = "key" }
public enum PaymentIDKind: IDKind { public static let prefix = "pay" }
public enum WebhookEndpointIDKind: IDKind { public static let prefix = "whk" }
public enum EventIDKind: IDKind { public static let prefix = "evt" }
/// One event's delivery to one webhook endpoint.
public enum WebhookDeliveryIDKind: IDKind { public static let prefix = "dlv" }
public enum RequestIDKind: IDKind { public static let prefix = "req" }
/// A balance or transaction-status query sent to Daraja (its answer comes by callback).
public enum QueryIDKind: IDKind { public static let prefix = "qry" }
/// A short-code profile: one business short code with the Daraja app keys that operate it.
public enum ShortCodeIDKind: IDKind { public static let prefix = "sc" }

public typealias OrganizationID = PrefixedID<OrganizationIDKind>
public typealias UserID = PrefixedID<UserIDKind>
public typealias APIKeyID = PrefixedID<APIKeyIDKind>
public typealias PaymentID = PrefixedID<PaymentIDKind>
public typealias WebhookEndpointID = PrefixedID<WebhookEndpointIDKind>
public typealias EventID = PrefixedID<EventIDKind>
public typealias WebhookDeliveryID = PrefixedID<WebhookDeliveryIDKind>
public typealias RequestID = PrefixedID<RequestIDKind>
public typealias QueryID = PrefixedID<QueryIDKind>
public typealias ShortCodeID = PrefixedID<ShortCodeIDKind>

/// An invoice or credit note an organization was billed.
public enum InvoiceIDKind: IDKind { public static let prefix = "inv" }
public typealias InvoiceID = PrefixedID<InvoiceIDKind>
