/// The one error type of DarajaWire: a payload or a value that does not follow Daraja's format.
public struct DarajaWireError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case invalidTimestamp
        case invalidPayload
    }

    public let code: Code
    public let message: String
    public let location: String

    init(code: Code, message: String, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.location = "\(fileID):\(line)"
    }

    public var description: String { "DarajaWireError.\(code): \(message) (at \(location))" }

    static func invalidTimestamp(_ text: String, fileID: String = #fileID, line: Int = #line) -> Self {
        .init(
            code: .invalidTimestamp, message: "not a 14-digit YYYYMMDDHHmmss timestamp: \(text)", fileID: fileID,
            line: line)
    }

    static func invalidPayload(_ reason: String, fileID: String = #fileID, line: Int = #line) -> Self {
        .init(code: .invalidPayload, message: reason, fileID: fileID, line: line)
    }
}
