import Foundation
public import Logging

/// A command-line failure: its text is what the user reads.
public struct CLIError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What the `pesa` and `pesa-bench` commands share: warnings on standard error and their loggers.
public enum CLI {
    public static func warn(_ text: String) {
        FileHandle.standardError.write(Data("pesa: \(text)\n".utf8))
    }

    public static let quietLogger = Logger(label: "pesa", factory: { _ in SwiftLogNoOpLogHandler() })

    public static func stderrLogger(_ label: String) -> Logger {
        var logger = Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .info
        return logger
    }
}
