public import Foundation

/// The STK `Password`: `base64(BusinessShortCode + Passkey + Timestamp)`
/// (Daraja's M-Pesa Express (STK Push) API documentation).
public enum STKPassword {
    /// The password for a shortcode, a passkey and a 14-digit timestamp.
    public static func make(shortCode: String, passkey: String, timestamp: String) -> String {
        Data((shortCode + passkey + timestamp).utf8).base64EncodedString()
    }

    /// The timestamp for `date` and the password built from that same timestamp (one clock read).
    public static func make(shortCode: String, passkey: String, at date: Date) -> (password: String, timestamp: String)
    {
        let timestamp = KenyaTime(date).timestamp
        return (make(shortCode: shortCode, passkey: passkey, timestamp: timestamp), timestamp)
    }

    /// Whether `password` is the password of this shortcode, passkey and timestamp.
    public static func verify(_ password: String, shortCode: String, passkey: String, timestamp: String) -> Bool {
        password == make(shortCode: shortCode, passkey: passkey, timestamp: timestamp)
    }
}
