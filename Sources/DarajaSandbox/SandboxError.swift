/// The one error of DarajaSandbox (start-up problems; request problems are Daraja envelopes).
public struct SandboxError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case invalidKey
        case notRunning
    }

    public let code: Code
    public let message: String
    public let location: String

    init(code: Code, message: String, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.location = "\(fileID):\(line)"
    }

    public var description: String { "SandboxError.\(code): \(message) (at \(location))" }

    static func invalidKey(_ reason: String, fileID: String = #fileID, line: Int = #line) -> Self {
        .init(code: .invalidKey, message: reason, fileID: fileID, line: line)
    }

    static func notRunning(fileID: String = #fileID, line: Int = #line) -> Self {
        .init(code: .notRunning, message: "the sandbox stopped before it was listening", fileID: fileID, line: line)
    }
}
