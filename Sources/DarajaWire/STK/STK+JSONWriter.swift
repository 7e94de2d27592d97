extension STKCallbackEnvelope {
    /// The same JSON as `JSONEncoder` gives, written without `Encoder` machinery (hot path of the sandbox).
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        let callback = body.stkCallback
        writer.beginObject()
        writer.key(CodingKeys.body.rawValue)
        writer.beginObject()
        writer.key("stkCallback")
        writer.beginObject()
        writer.key(STKCallback.CodingKeys.merchantRequestID.rawValue)
        writer.string(callback.merchantRequestID)
        writer.key(STKCallback.CodingKeys.checkoutRequestID.rawValue)
        writer.string(callback.checkoutRequestID)
        writer.key(STKCallback.CodingKeys.resultCode.rawValue)
        writer.flexible(callback.resultCode)
        writer.key(STKCallback.CodingKeys.resultDesc.rawValue)
        writer.string(callback.resultDesc)
        if let metadata = callback.callbackMetadata {
            writer.key(STKCallback.CodingKeys.callbackMetadata.rawValue)
            writer.beginObject()
            writer.key(STKCallback.Metadata.CodingKeys.items.rawValue)
            writer.beginArray()
            for item in metadata.items {
                writer.beginObject()
                writer.key(STKCallback.Item.CodingKeys.name.rawValue)
                writer.string(item.name)
                if let value = item.value {
                    writer.key(STKCallback.Item.CodingKeys.value.rawValue)
                    writer.parameter(value)
                }
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endObject()
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }
}

extension STKPushResponse {
    /// The same JSON as `JSONEncoder` gives, written without `Encoder` machinery (hot path of the sandbox).
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key(CodingKeys.merchantRequestID.rawValue)
        writer.string(merchantRequestID)
        writer.key(CodingKeys.checkoutRequestID.rawValue)
        writer.string(checkoutRequestID)
        writer.key(CodingKeys.responseCode.rawValue)
        writer.flexible(responseCode)
        writer.key(CodingKeys.responseDescription.rawValue)
        writer.string(responseDescription)
        writer.key(CodingKeys.customerMessage.rawValue)
        writer.string(customerMessage)
        writer.endObject()
        return writer.bytes
    }
}
