import Foundation
import PesaCore

/// A snapshot file (data-layout.md, "Snapshots"): one JSON header line, then the gzip of the state's
/// payload. `snapshots/<seq, 20 digits>.snapshot`, written to a temporary file, synced, renamed, and the
/// directory synced, so no reader ever sees half of one.
struct SnapshotHeader: Codable, Sendable, Equatable {
    static let formatVersion = 1

    /// Snapshot file format version.
    let v: Int
    /// Last sequence number the state covers.
    let seq: UInt64
    /// Chain hash of line `seq` (64 hex).
    let hash: String
    let atMs: Int64
    /// The state payload's own format version (EventSourcedState.snapshotFormatVersion).
    let stateFormat: Int
    let payloadBytes: Int
    /// SHA-256 of the uncompressed payload.
    let payloadSha256: String

    enum CodingKeys: String, CodingKey {
        case v, seq, hash
        case atMs = "at_ms"
        case stateFormat = "state_format"
        case payloadBytes = "payload_bytes"
        case payloadSha256 = "payload_sha256"
    }
}

struct SnapshotFile: Sendable {
    let header: SnapshotHeader
    let payload: [UInt8]

    static let directoryName = "snapshots"
    static let suffix = ".snapshot"

    static func fileName(seq: UInt64) -> String {
        SegmentCatalog.fileName(firstSeq: seq, archived: false).replacingOccurrences(of: ".jsonl", with: suffix)
    }

    static func seq(fromFileName name: String) -> UInt64? {
        SegmentCatalog.firstSeq(fromFileName: name, suffix: suffix)
    }

    static func encode(seq: UInt64, hash: ChainHash, atMs: Int64, stateFormat: Int, payload: [UInt8]) -> [UInt8] {
        let header = SnapshotHeader(
            v: SnapshotHeader.formatVersion, seq: seq, hash: hash.description, atMs: atMs, stateFormat: stateFormat,
            payloadBytes: payload.count, payloadSha256: ChainHash.ofPaced(payload).description)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let headerBytes = try? encoder.encode(header) else {
            preconditionFailure("a snapshot header always encodes")
        }
        return Array(headerBytes) + [0x0a] + Gzip.compress(payload)
    }

    /// Reads and checks a snapshot file's bytes: header, format version, size and checksum.
    static func decode(_ bytes: [UInt8], path: String) throws(StoreError) -> SnapshotFile {
        guard let newline = bytes.prefix(4096).firstIndex(of: 0x0a) else {
            throw StoreError(.snapshotInvalid, "\(path): no header line")
        }
        guard let header = try? JSONDecoder().decode(SnapshotHeader.self, from: Data(bytes[..<newline])) else {
            throw StoreError(.snapshotInvalid, "\(path): unreadable header")
        }
        guard header.v <= SnapshotHeader.formatVersion else {
            throw StoreError.newerFormat(path, found: header.v, known: SnapshotHeader.formatVersion)
        }
        guard header.payloadBytes >= 0, header.payloadBytes <= Limits.snapshotPayloadBytesMax,
            ChainHash(hexString: header.hash) != nil
        else {
            throw StoreError(.snapshotInvalid, "\(path): header out of range")
        }
        guard let payload = Gzip.decompress(bytes[(newline + 1)...], expectedBytes: header.payloadBytes) else {
            throw StoreError(.snapshotInvalid, "\(path): payload does not decompress to \(header.payloadBytes) bytes")
        }
        guard ChainHash.ofPaced(payload).description == header.payloadSha256 else {
            throw StoreError(.snapshotInvalid, "\(path): payload checksum mismatch")
        }
        return SnapshotFile(header: header, payload: payload)
    }
}

/// Read access to snapshot files for tools (benchmarks, inspection).
public enum SnapshotInspector {
    /// Checks a snapshot file's bytes and returns its uncompressed state payload.
    public static func payload(of fileBytes: [UInt8], path: String = "snapshot") throws(StoreError) -> [UInt8] {
        try contents(of: fileBytes, path: path).payload
    }

    /// The payload with the state format it is written in (its header's `state_format`).
    public static func contents(of fileBytes: [UInt8], path: String = "snapshot") throws(StoreError)
        -> (payload: [UInt8], stateFormat: Int)
    {
        let file = try SnapshotFile.decode(fileBytes, path: path)
        return (file.payload, file.header.stateFormat)
    }
}
