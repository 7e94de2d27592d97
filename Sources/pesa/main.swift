import ArgumentParser
import NIOCore
import NIOPosix

// `pesa serve` runs Swift Concurrency's jobs on NIO's event loops (the threads that already read and write
// every socket) instead of a second pool of as many threads: a request no longer hops between the two pools
// at each await. Installed before any task exists, as NIO requires; only for the server.
if CommandLine.arguments.dropFirst().first == "serve" {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

/// ArgumentParser's asynchronous entry point (a plain `Pesa.main()` here would pick the synchronous one, which
/// prints the help of every asynchronous command).
func runAsync<Command: AsyncParsableCommand>(_ command: Command.Type) async {
    await command.main()
}

await runAsync(Pesa.self)
