/// The URLs a shortcode registered for C2B.
struct C2BRegistration: Sendable {
    let responseType: String
    let confirmationURL: String
    let validationURL: String
}
