public import Hummingbird
import HTTPTypes
public import PesaCore

extension Parameters {
    /// A prefixed id from the path. A malformed id names nothing that exists: 404, like an unknown one.
    public func requireID<Kind: IDKind>(
        _ name: String, as type: PrefixedID<Kind>.Type = PrefixedID<Kind>.self
    ) throws(APIError) -> PrefixedID<Kind> {
        guard let text = get(name), let id = try? PrefixedID<Kind>(parsing: text, field: name) else {
            throw .notFound()
        }
        return id
    }
}
