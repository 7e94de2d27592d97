import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A form body the dashboard takes with a file in it: `multipart/form-data` (a file input, RFC 7578), or
/// `application/x-www-form-urlencoded` (no file). Names and values as text; a name given twice keeps its first
/// value; a file part's value is the file's content.
enum DashboardUpload {
    /// The fields of `request`'s body, read up to `bytesMax` bytes (more: 413). A multipart body without a
    /// boundary, or whose parts cannot be read, is a 400.
    static func read(_ request: Request, context: PesaRequestContext, bytesMax: Int) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: bytesMax)
        let type = request.headers[.contentType] ?? ""
        let essence = type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard essence == "multipart/form-data" else { return DashboardForm.parse(String(buffer: buffer)) }
        guard let boundary = Part.parameter("boundary", in: type), !boundary.isEmpty else {
            throw APIError.invalidField("body", "the form's body has no multipart boundary")
        }
        guard let fields = parse(Array(buffer: buffer), boundary: boundary) else {
            throw APIError.invalidField("body", "the form's body cannot be read as multipart/form-data")
        }
        return fields
    }

    /// The parts of a `multipart/form-data` body by their `name`; nil when the body is not one.
    static func parse(_ body: [UInt8], boundary: String) -> [String: String]? {
        let delimiter = Array(("--" + boundary).utf8)
        var fields: [String: String] = [:]
        guard var start = find(delimiter, in: body, from: 0) else { return nil }
        start += delimiter.count
        while true {
            // After a delimiter: "--" ends the body, else a line break starts a part.
            if body[start...].starts(with: Array("--".utf8)) { return fields }
            guard body[start...].starts(with: crlf) else { return nil }
            let partStart = start + crlf.count
            guard let next = find(crlf + delimiter, in: body, from: partStart) else { return nil }
            guard let part = Part(body[partStart..<next]) else { return nil }
            if let name = part.name, fields[name] == nil { fields[name] = part.value }
            start = next + crlf.count + delimiter.count
        }
    }

    static let crlf: [UInt8] = [13, 10]

    /// One part: its headers' `Content-Disposition` name, and its content as text.
    struct Part {
        let name: String?
        let value: String

        init?(_ bytes: ArraySlice<UInt8>) {
            let separator: [UInt8] = [13, 10, 13, 10]
            let headerEnd: Int
            let contentStart: Int
            if bytes.starts(with: DashboardUpload.crlf) {
                // No header at all: the content follows the empty line.
                headerEnd = bytes.startIndex
                contentStart = bytes.startIndex + 2
            } else {
                guard let end = DashboardUpload.find(separator, in: bytes, from: bytes.startIndex) else { return nil }
                headerEnd = end
                contentStart = end + separator.count
            }
            let headers = String(decoding: bytes[bytes.startIndex..<headerEnd], as: UTF8.self)
            var name: String?
            for line in headers.components(separatedBy: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2, pair[0].lowercased() == "content-disposition" else { continue }
                name = Self.parameter("name", in: String(pair[1]))
            }
            self.name = name
            value = String(decoding: bytes[contentStart...], as: UTF8.self)
        }

        /// `name="value"` (or unquoted) of a header's parameters.
        static func parameter(_ wanted: String, in header: String) -> String? {
            for piece in header.split(separator: ";").dropFirst() {
                let pair = piece.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == wanted else {
                    continue
                }
                var value = pair[1].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                return value
            }
            return nil
        }
    }

    /// The index of the first `needle` in `haystack` at or after `from`.
    static func find<Bytes: RandomAccessCollection<UInt8>>(_ needle: [UInt8], in haystack: Bytes, from: Bytes.Index)
        -> Bytes.Index? where Bytes.Index == Int
    {
        guard let first = needle.first, haystack.endIndex - from >= needle.count else { return nil }
        var index = from
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}
