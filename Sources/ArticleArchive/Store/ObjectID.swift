import Foundation
import Crypto

/// The name of a stored object: the SHA-256 of its git object form, `"blob <length>\0" + body`,
/// written as 64 lowercase hexadecimal digits, exactly as `git hash-object` prints it in a SHA-256 repository.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The 64 lowercase hexadecimal digits of the id.
    public let hex: String

    /// Creates an id from its hexadecimal form, or returns `nil` when `hex` is not 64 hexadecimal digits.
    public init?(hex: String) {
        let lowered = hex.lowercased()
        guard lowered.utf8.count == 64, lowered.utf8.allSatisfy({ Self.isHexDigit($0) }) else { return nil }
        self.hex = lowered
    }

    init(digest: SHA256.Digest) {
        self.hex = Self.hexString(digest)
    }

    /// Computes the id git gives to a blob holding `body`.
    public static func forBlob<Bytes: ContiguousBytes>(_ body: Bytes) -> ObjectID {
        var hasher = SHA256()
        body.withUnsafeBytes { buffer in
            hasher.update(data: GitObjectHeader.blob(length: buffer.count).bytes)
            hasher.update(bufferPointer: buffer)
        }
        return ObjectID(digest: hasher.finalize())
    }

    /// The 32 bytes of the id.
    var rawBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var high: UInt8 = 0
        for (index, digit) in hex.utf8.enumerated() {
            let value = Self.value(ofHexDigit: digit)
            if index % 2 == 0 { high = value << 4 } else { bytes.append(high | value) }
        }
        return bytes
    }

    /// The id's first 64 bits (its first 16 hex digits), without decoding the rest.
    var leadingBits: UInt64 {
        var bits: UInt64 = 0
        for digit in hex.utf8.prefix(16) { bits = bits << 4 | UInt64(Self.value(ofHexDigit: digit)) }
        return bits
    }

    /// The value of a lowercase hexadecimal digit (the only kind an id holds).
    private static func value(ofHexDigit digit: UInt8) -> UInt8 {
        digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : digit - UInt8(ascii: "a") + 10
    }

    /// The two-digit folder under `objects/` that holds this object.
    var directoryName: String { String(hex.prefix(2)) }

    /// The file name of this object inside its folder.
    var fileName: String { String(hex.dropFirst(2)) }

    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ObjectID(hex: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a SHA-256 object id: \(text)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }

    static func hexString<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var result = [UInt8]()
        result.reserveCapacity(64)
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// SHA-256 of arbitrary bytes, in hexadecimal (for the provenance of inputs, not object ids).
public enum ContentDigest {
    /// The SHA-256 of `bytes` as 64 lowercase hexadecimal digits.
    public static func sha256Hex<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        let digest = bytes.withUnsafeBytes { SHA256.hash(data: $0) }
        return ObjectID.hexString(digest)
    }
}
