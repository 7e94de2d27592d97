extension APIError {
    /// This error, remembering the domain error it was mapped from.
    public func caused(by cause: any Error) -> APIError {
        var copy = self
        copy.cause = cause
        return copy
    }
}
