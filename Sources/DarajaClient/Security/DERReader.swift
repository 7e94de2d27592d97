/// Just enough DER to find the SubjectPublicKeyInfo inside an X.509 certificate.
struct DERReader {
    struct Element {
        let tag: UInt8
        /// The whole element: tag, length and contents.
        let whole: Range<Int>
        /// The contents only.
        let contents: Range<Int>
    }

    let bytes: [UInt8]

    /// The element starting at `offset`, or nil when the bytes are not well-formed DER.
    func element(at offset: Int, within limit: Int) -> Element? {
        guard offset + 2 <= limit else { return nil }
        let tag = bytes[offset]
        var cursor = offset + 1
        let first = Int(bytes[cursor])
        cursor += 1
        var length = 0
        if first < 0x80 {
            length = first
        } else {
            let lengthBytes = first & 0x7F
            guard lengthBytes >= 1, lengthBytes <= 4, cursor + lengthBytes <= limit else { return nil }
            for _ in 0..<lengthBytes {
                length = length << 8 | Int(bytes[cursor])
                cursor += 1
            }
        }
        guard length >= 0, cursor + length <= limit else { return nil }
        return Element(tag: tag, whole: offset..<(cursor + length), contents: cursor..<(cursor + length))
    }

    /// The children of a constructed element.
    func children(of parent: Element) -> [Element]? {
        var result: [Element] = []
        var offset = parent.contents.lowerBound
        while offset < parent.contents.upperBound {
            guard let child = element(at: offset, within: parent.contents.upperBound) else { return nil }
            result.append(child)
            offset = child.whole.upperBound
        }
        return result
    }

    /// The DER of the SubjectPublicKeyInfo of the certificate in `bytes`.
    func subjectPublicKeyInfo() -> ArraySlice<UInt8>? {
        let sequence: UInt8 = 0x30
        guard let certificate = element(at: 0, within: bytes.count), certificate.tag == sequence,
            let parts = children(of: certificate), let tbs = parts.first, tbs.tag == sequence,
            var fields = children(of: tbs)
        else { return nil }
        if fields.first?.tag == 0xA0 { fields.removeFirst() }  // explicit version
        // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
        guard fields.count >= 6, fields[5].tag == sequence else { return nil }
        return bytes[fields[5].whole]
    }
}
