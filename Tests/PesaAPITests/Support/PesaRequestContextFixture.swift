import Hummingbird
import Logging
import NIOEmbedded
import PesaAPI

enum PesaRequestContextFixture {
    static func make() -> PesaRequestContext {
        PesaRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "fixture")))
    }
}
