import CSV
import Crypto
import Foundation
import Hummingbird
import PesaCore
import PesaEngine

/// Reads the body of `POST /v1/payout-batches`: JSON `{command, short_code?, items: [...], allow_duplicates?}`,
/// or a CSV of the rows (`Content-Type: text/csv`) with the batch's other fields in the query
/// (`?command=…&short_code=…&allow_duplicates=true`). CSV: a header row naming `phone`, `amount`, `reference`
/// and optionally `name` (any order, any case), comma or semicolon separated (whichever the header holds),
/// UTF-8 with or without a byte-order mark, parsed by CSV.swift (quoted fields may hold separators and line
/// breaks).
enum BatchUpload {
    struct Upload: Decodable {
        struct Row: Decodable {
            let phone: String
            let amount: Int64?
            let reference: String
            let name: String?
        }

        let command: String
        let shortCode: String?
        let items: [Row]
        let allowDuplicates: Bool?

        enum CodingKeys: String, CodingKey {
            case command, items
            case shortCode = "short_code"
            case allowDuplicates = "allow_duplicates"
        }
    }

    static func isCSV(_ request: Request) -> Bool {
        let type = request.headers[.contentType]?.split(separator: ";").first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased() == "text/csv"
    }

    static func parameters(_ request: Request, body: ByteBuffer) throws -> BatchParameters {
        let bytes = Array(buffer: body)
        let hash = Hex.encodeString(SHA256.hash(data: bytes))
        if isCSV(request) {
            let query = request.uri.queryParameters
            guard let command = query.get("command") else {
                throw APIError.invalidField("command", "a CSV upload names command in the query (?command=…)")
            }
            return BatchParameters(
                command: command, shortCode: query.get("short_code"), items: try csvRows(bytes),
                allowDuplicates: query.get("allow_duplicates") == "true", contentHash: hash)
        }
        let decoded = try JSONBody.decode(Upload.self, from: Data(bytes))
        return BatchParameters(
            command: decoded.command, shortCode: decoded.shortCode,
            items: decoded.items.map {
                BatchRowParameters(phone: $0.phone, amount: $0.amount, reference: $0.reference, name: $0.name)
            },
            allowDuplicates: decoded.allowDuplicates ?? false, contentHash: hash)
    }

    /// The rows of a CSV upload. A missing column or an unreadable file is one 422; bad values are the
    /// engine's to report, row by row.
    static func csvRows(_ bytes: [UInt8]) throws -> [BatchRowParameters] {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let header = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        let delimiter: UnicodeScalar =
            header.filter { $0 == ";" }.count > header.filter { $0 == "," }.count ? ";" : ","
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true, delimiter: delimiter)
        } catch {
            throw APIError.invalidField("items", "the CSV cannot be read: \(error)")
        }
        let columns = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
        guard let phone = column("phone"), let amount = column("amount"), let reference = column("reference") else {
            throw APIError.invalidField(
                "items", "the CSV's header row must name phone, amount and reference (and may name name)")
        }
        let name = column("name")
        var rows: [BatchRowParameters] = []
        while let row = reader.next() {
            if row.allSatisfy(\.isEmpty) { continue }
            guard rows.count < Limits.batchItemsCountMax else {
                throw APIError.invalidField("items", "a batch holds at most \(Limits.batchItemsCountMax) rows")
            }
            let field = { (index: Int?) in index.flatMap { $0 < row.count ? row[$0] : nil } ?? "" }
            rows.append(BatchRowParameters(
                phone: field(phone), amount: Int64(field(amount)), reference: field(reference),
                name: name.map { _ in field(name) }))
        }
        if let error = reader.error {
            throw APIError.invalidField("items", "the CSV cannot be read after row \(rows.count): \(error)")
        }
        return rows
    }

    /// `results.csv`: every row's outcome, receipt and time; cells a spreadsheet would run as formulas are
    /// prefixed with an apostrophe.
    static func resultsCSV(_ batch: BatchRecord) throws -> String {
        var rows: [[String]] = [[
            "row_id", "row", "phone", "amount", "reference", "name", "state", "payment_id", "mpesa_receipt",
            "error_code", "error_message", "updated_at",
        ]]
        for (index, item) in batch.items.enumerated() {
            let cells = [
                batch.id.itemID(index), String(index + 1), item.phone.digits, item.amount.description, item.reference,
                item.name ?? "", item.state.rawValue, item.paymentIDs.last?.rawValue ?? "", item.receipt ?? "",
                item.errorCode ?? "", item.errorMessage ?? "", RFC3339.string(ms: item.updatedAtMs),
            ]
            rows.append(cells.map(CSVText.safe))
        }
        return String(decoding: try CSVText.encode(rows), as: UTF8.self)
    }
}
