import Foundation

/// An article's LSH buckets as stored with its fingerprint: 8 little-endian bytes per band, in band order.
enum LSHBucketList {
    static func encode(_ buckets: [Int64]) -> Data {
        withEncoded(buckets) { Data($0) }
    }

    /// Calls `body` with the stored form of `buckets` (no copy on a little-endian machine).
    static func withEncoded<T>(_ buckets: [Int64], _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        #if _endian(little)
        try buckets.withUnsafeBytes(body)
        #else
        try buckets.map(\.littleEndian).withUnsafeBytes(body)
        #endif
    }

    static func decode(_ bytes: [UInt8]) -> [Int64] {
        bytes.withUnsafeBytes { raw in
            (0..<(raw.count / 8)).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        }
    }
}
