import PesaCore
import Synchronization

/// The webhook signing secrets of each organization as read from its vault at a credentials generation
/// (`TenantEngine.credentialsGeneration`): an entry read before a change is never used after it. Secrets stay in
/// memory, as the Daraja secrets do; `description` of an entry is redacted.
final class WebhookSecretCache: Sendable {
    private let entries = Mutex<[String: (generation: Int, entries: [WebhookSecretEntry])]>([:])

    func entries(_ tenant: String, generation: Int) -> [WebhookSecretEntry]? {
        entries.withLock { cache in
            guard let found = cache[tenant], found.generation == generation else { return nil }
            return found.entries
        }
    }

    func keep(_ secrets: [WebhookSecretEntry], for tenant: String, generation: Int) {
        entries.withLock { $0[tenant] = (generation, secrets) }
    }
}
