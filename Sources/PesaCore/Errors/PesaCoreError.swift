/// The one error type of PesaCore: a stable code, a message fit for a user (never a
/// secret), the field it is about when there is one, and where it was raised.
public struct PesaCoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable, CaseIterable {
        case invalidAmount, amountOutOfRange, invalidPhone, invalidID, invalidSlug, invalidField
        case illegalTransition, unknownEventType, invalidEventData, inconsistentEvent
        case snapshotVersionUnsupported, snapshotCorrupt
    }

    public let code: Code
    public let message: String
    /// The input field the error names (`phone`, `amount`, ...), for 422 answers.
    public let field: String?
    public let location: String

    init(_ code: Code, _ message: String, field: String? = nil, fileID: String, line: Int) {
        self.code = code
        self.message = message
        self.field = field
        self.location = "\(fileID):\(line)"
    }

    public var description: String {
        let named = field.map { " (\($0))" } ?? ""
        return "\(code.rawValue)\(named): \(message) [\(location)]"
    }

    /// Equal when code, message and field are equal (where it was raised does not matter).
    public static func == (lhs: PesaCoreError, rhs: PesaCoreError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.field == rhs.field
    }
}

extension PesaCoreError {
    static func invalidAmount(
        _ message: String, field: String = "amount", fileID: String = #fileID, line: Int = #line
    ) -> Self {
        Self(.invalidAmount, message, field: field, fileID: fileID, line: line)
    }

    static func amountOutOfRange(
        _ message: String, field: String = "amount", fileID: String = #fileID, line: Int = #line
    ) -> Self {
        Self(.amountOutOfRange, message, field: field, fileID: fileID, line: line)
    }

    static func invalidPhone(
        _ message: String, field: String = "phone", fileID: String = #fileID, line: Int = #line
    ) -> Self {
        Self(.invalidPhone, message, field: field, fileID: fileID, line: line)
    }

    static func invalidID(
        _ message: String, field: String = "id", fileID: String = #fileID, line: Int = #line
    ) -> Self {
        Self(.invalidID, message, field: field, fileID: fileID, line: line)
    }

    static func invalidSlug(
        _ message: String, field: String = "slug", fileID: String = #fileID, line: Int = #line
    ) -> Self {
        Self(.invalidSlug, message, field: field, fileID: fileID, line: line)
    }

    static func invalidField(_ field: String, _ message: String, fileID: String = #fileID, line: Int = #line) -> Self {
        Self(.invalidField, message, field: field, fileID: fileID, line: line)
    }

    static func illegalTransition(_ message: String, fileID: String = #fileID, line: Int = #line) -> Self {
        Self(.illegalTransition, message, fileID: fileID, line: line)
    }

    static func unknownEventType(_ type: String, fileID: String = #fileID, line: Int = #line) -> Self {
        Self(.unknownEventType, "unknown event type \"\(type)\"", fileID: fileID, line: line)
    }

    static func invalidEventData(_ message: String, fileID: String = #fileID, line: Int = #line) -> Self {
        Self(.invalidEventData, message, fileID: fileID, line: line)
    }

    static func inconsistentEvent(_ message: String, fileID: String = #fileID, line: Int = #line) -> Self {
        Self(.inconsistentEvent, message, fileID: fileID, line: line)
    }

    static func snapshotVersionUnsupported(
        _ version: Int, known: Int, fileID: String = #fileID, line: Int = #line
    ) -> Self {
        Self(
            .snapshotVersionUnsupported,
            "snapshot payload format \(version) is newer than this binary knows (\(known)); upgrade pesa",
            fileID: fileID, line: line)
    }

    static func snapshotCorrupt(_ message: String, fileID: String = #fileID, line: Int = #line) -> Self {
        Self(.snapshotCorrupt, message, fileID: fileID, line: line)
    }
}
