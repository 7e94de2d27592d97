import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore

/// A form body the dashboard takes with a file in it: `multipart/form-data` (a file input, RFC 7578), or
/// `application/x-www-form-urlencoded` (no file). Names and values as text; a name given twice keeps its first
/// value; a file part's value is the file's content.
enum DashboardUpload {
    /// The fields of `request`'s body, read up to `bytesMax` bytes (more: 413). A multipart body without a
    /// boundary, or whose parts cannot be read, is a 422 naming `body`.
    static func read(_ request: Request, context: PesaRequestContext, bytesMax: Int) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: bytesMax)
        let type = request.headers[.contentType] ?? ""
        let essence = type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard essence == "multipart/form-data" else { return DashboardForm.parse(String(buffer: buffer)) }
        guard let boundary = parameter("boundary", in: type), !boundary.isEmpty else {
            throw APIError.invalidField("body", "the form's body has no multipart boundary")
        }
        guard let fields = parse(buffer, boundary: boundary) else {
            throw APIError.invalidField("body", "the form's body cannot be read as multipart/form-data")
        }
        return fields
    }

    /// The parts of a `multipart/form-data` body by their `name`, read by MultipartKit's parser; nil when the
    /// body is not one (a syntax error, or no closing delimiter: a body cut short).
    static func parse(_ body: ByteBuffer, boundary: String) -> [String: String]? {
        // RFC 2046 limits a boundary to 70 characters; the closing one ends the body, maybe with a line break.
        guard boundary.utf8.count <= 70 else { return nil }
        let closing = Array("--\(boundary)--".utf8)
        let content = body.readableBytesView.reversed().drop { $0 == 13 || $0 == 10 }
        guard content.starts(with: closing.reversed()) else { return nil }
        let parser = MultipartParser(boundary: boundary)
        var fields: [String: String] = [:]
        var name: String?
        var value = ByteBuffer()
        var parts = 0
        parser.onHeader = { header, text in
            guard header.lowercased() == "content-disposition" else { return }
            name = parameter("name", in: text)
        }
        parser.onBody = { chunk in value.writeBuffer(&chunk) }
        parser.onPartComplete = {
            if let name, fields[name] == nil { fields[name] = String(buffer: value) }
            parts += 1
            name = nil
            value.clear()
        }
        do {
            try parser.execute(body)
        } catch {
            return nil
        }
        return parts > 0 ? fields : nil
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
