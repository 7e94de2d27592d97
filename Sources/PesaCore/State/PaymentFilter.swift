/// Which payments a list or report covers. Times are `created_at`, `fromMs` inclusive, `toMs` exclusive.
public struct PaymentFilter: Sendable, Equatable {
    public var status: PaymentStatus?
    public var type: PaymentType?
    public var fromMs: Int64?
    public var toMs: Int64?
    /// Only payments that went through this profile.
    public var shortCodeID: ShortCodeID?
    /// Only payments of this phone number, in the 12 digits payments store (`MSISDN.digits`).
    public var phone: String?
    /// Only payments with this M-Pesa receipt number, compared without regard to ASCII case.
    public var receipt: String?

    public init(status: PaymentStatus? = nil, type: PaymentType? = nil, fromMs: Int64? = nil, toMs: Int64? = nil) {
        self.status = status
        self.type = type
        self.fromMs = fromMs
        self.toMs = toMs
    }

    /// Whether it selects by a row's texts (phone, receipt), which the day aggregates do not count by.
    var selectsByText: Bool { phone != nil || receipt != nil }
}
