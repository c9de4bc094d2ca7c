import Foundation
import Crypto

/// The name of a stored object: the SHA-256 of its git object form, `"blob <length>\0" + body`,
/// written as 64 lowercase hexadecimal digits, exactly as `git hash-object` prints it in a SHA-256 repository.
///
/// The 32 bytes are held inline, not as their hexadecimal text: an id is copied, hashed and compared many times
/// per arrival, and a text would cost an allocation to make and reference counting at every copy.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The digest as four big-endian words: comparing them in order compares the ids' hexadecimal forms.
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// Creates an id from its hexadecimal form (either case), or returns `nil` when `hex` is not 64 hexadecimal
    /// digits.
    public init?(hex: String) {
        var hex = hex
        guard let id = hex.withUTF8({ digits -> ObjectID? in
            guard digits.count == 64 else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { bytes -> ObjectID? in
                for index in bytes.indices {
                    guard let high = Self.value(ofHexDigit: digits[2 * index]),
                          let low = Self.value(ofHexDigit: digits[2 * index + 1]) else { return nil }
                    bytes[index] = high << 4 | low
                }
                return ObjectID(bytes: UnsafeRawBufferPointer(bytes))
            }
        }) else { return nil }
        self = id
    }

    init(digest: SHA256.Digest) {
        self = digest.withUnsafeBytes { ObjectID(bytes: $0) }
    }

    /// The id of 32 bytes of digest.
    private init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "an object id is 32 bytes")
        words = (UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                 UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                 UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
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

    /// The 64 lowercase hexadecimal digits of the id.
    public var hex: String { withBytes(Self.hexString) }

    /// Calls `body` with the id's 64 lowercase hexadecimal digits, made on the stack.
    func withHexDigits<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withBytes { bytes in
            try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { text in
                Self.writeHexDigits(of: bytes, into: text)
                return try body(UnsafeBufferPointer(text))
            }
        }
    }

    /// The 32 bytes of the id.
    var rawBytes: [UInt8] { withBytes { Array($0) } }

    /// Calls `body` with the 32 bytes of the id, in order.
    private func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var bigEndian = (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
        return try withUnsafeBytes(of: &bigEndian, body)
    }

    /// The id's first 64 bits (its first 16 hex digits).
    var leadingBits: UInt64 { words.0 }

    /// The value of a hexadecimal digit, or `nil` if the byte is none.
    private static func value(ofHexDigit digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The two-digit folder under `objects/` that holds this object.
    var directoryName: String { String(hex.prefix(2)) }

    /// The file name of this object inside its folder.
    var fileName: String { String(hex.dropFirst(2)) }

    public var description: String { hex }

    public static func == (lhs: ObjectID, rhs: ObjectID) -> Bool {
        lhs.words == rhs.words
    }

    /// The first word alone: it is a uniform hash already, and ids that share it are told apart by `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(words.0) }

    /// For the standard library's sets and dictionaries, which call this rather than `hash(into:)`: the first word
    /// spread as `HashKey` spreads a hash, where `Hasher` ran SipHash on it at every lookup and insert (the writer's
    /// sets and dictionaries of a batch's ids).
    public func _rawHashValue(seed: Int) -> Int {
        HashKey(words.0)._rawHashValue(seed: seed)
    }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        lhs.words < rhs.words
    }

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

    /// `bytes` as lowercase hexadecimal digits, two per byte.
    static func hexString(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            writeHexDigits(of: bytes, into: text)
            return bytes.count * 2
        }
    }

    /// Writes `bytes` as lowercase hexadecimal digits into `text` (room for two per byte).
    private static func writeHexDigits(of bytes: UnsafeRawBufferPointer, into text: UnsafeMutableBufferPointer<UInt8>) {
        let digits: StaticString = "0123456789abcdef"
        for (index, byte) in bytes.enumerated() {
            text[index * 2] = digits.utf8Start[Int(byte >> 4)]
            text[index * 2 + 1] = digits.utf8Start[Int(byte & 0x0f)]
        }
    }
}

/// SHA-256 of arbitrary bytes, in hexadecimal (for the provenance of inputs, not object ids).
public enum ContentDigest {
    /// The SHA-256 of `bytes` as 64 lowercase hexadecimal digits.
    public static func sha256Hex<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        let digest = bytes.withUnsafeBytes { SHA256.hash(data: $0) }
        return digest.withUnsafeBytes { ObjectID.hexString($0) }
    }
}
