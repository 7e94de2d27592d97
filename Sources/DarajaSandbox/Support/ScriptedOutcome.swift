/// What a test MSISDN makes happen (phone for STK, PartyB for B2C), like card test numbers elsewhere.
enum ScriptedOutcome: Sendable, Equatable {
    /// Success, one callback.
    case success
    /// Success, the callback delivered twice.
    case successDeliveredTwice
    /// Success, the callback never delivered (queries tell the truth).
    case successNeverDelivered
    /// A final failure with this result code.
    case failure(code: String)
    /// The request itself fails with Daraja's 500 envelope.
    case requestFails

    static func forMSISDN(_ msisdn: String) -> ScriptedOutcome {
        switch msisdn {
        case "254700000001": .failure(code: "1")
        case "254700001032": .failure(code: "1032")
        case "254700001037": .failure(code: "1037")
        case "254700001019": .failure(code: "1019")
        case "254700002001": .failure(code: "2001")
        case "254700000002": .successDeliveredTwice
        case "254700000009": .successNeverDelivered
        case "254700000500": .requestFails
        default: .success
        }
    }

    var isSuccess: Bool {
        switch self {
        case .success, .successDeliveredTwice, .successNeverDelivered: true
        case .failure, .requestFails: false
        }
    }

    /// How many times the callback is delivered.
    var deliveryCount: Int {
        switch self {
        case .successDeliveredTwice: 2
        case .successNeverDelivered, .requestFails: 0
        case .success, .failure: 1
        }
    }
}
