/// Daraja's `ResultCode` as our own value: the text Daraja sent (a number like `0` or `1032`, or a string
/// like `SFC_IC0003`), kept as given, and the payment status it means.
public struct ResultCode: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ number: Int) {
        self.rawValue = String(number)
    }

    public var description: String { rawValue }

    /// A query's result when Daraja's queue timed out before the query ran: not an answer, so the query's real
    /// result may still come and replace it.
    public static let queueTimeout = ResultCode("PESA_QUEUE_TIMEOUT")

    /// The numeric value when the code is a plain integer (`"0"`, `" 1032 "`, `"01032"`).
    public var numericValue: Int? {
        Int(rawValue.trimmingSpaces)
    }

    /// 0 succeeded; 1032 cancelled; 1037 and 1019 timeout; anything else (numbers or strings) failed.
    public var paymentStatus: PaymentStatus {
        switch numericValue {
        case 0: .succeeded
        case 1032: .cancelled
        case 1037, 1019: .timeout
        default: .failed
        }
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension String {
    var trimmingSpaces: Substring {
        var view = self[...]
        while let first = view.first, first == " " || first == "\t" || first == "\n" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" || last == "\n" { view = view.dropLast() }
        return view
    }
}
