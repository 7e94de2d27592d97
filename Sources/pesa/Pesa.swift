import ArgumentParser

@main
struct Pesa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pesa",
        abstract: "Pesa Gateway: a self-hosted, multi-tenant M-Pesa payment gateway.",
        subcommands: [
            ServeCommand.self, AdminCommand.self, SandboxCommand.self, VerifyCommand.self, CompactCommand.self,
            KeysCommand.self, UsageCommand.self,
        ]
    )
}
