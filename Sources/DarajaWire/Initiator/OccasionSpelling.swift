/// Which spelling of the optional `Occasion` key a request uses. B2C v3 and B2B documents spell it
/// `Occassion` (sic), B2C v1, Transaction Status and Reversal spell it `Occasion`.
/// Decoding accepts either; encoding writes the one the value carries.
public enum OccasionSpelling: String, Sendable, Hashable {
    case occassion = "Occassion"
    case occasion = "Occasion"
}
