import ArgumentParser

@main
struct Pesa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pesa",
        abstract: "Pesa Gateway: a self-hosted, multi-tenant M-Pesa payment gateway.",
        subcommands: [SandboxCommand.self, BenchSandboxCommand.self]
    )
}
