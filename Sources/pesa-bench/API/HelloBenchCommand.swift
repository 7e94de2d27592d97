import ArgumentParser
import Hummingbird

/// `pesa-bench hello --port N`: a hello-world Hummingbird route, the baseline of the API benchmark.
struct HelloBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hello", abstract: "Serve GET /hello (hello world) as the baseline of the API benchmark.")

    @Option(help: "Port on 127.0.0.1.")
    var port: Int = 18099

    func run() async throws {
        let router = Router()
        router.get("/hello") { _, _ in "hello, world" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}
