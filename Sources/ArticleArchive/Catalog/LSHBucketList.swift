import Foundation

/// An article's LSH buckets as stored with its fingerprint: 8 little-endian bytes per band, in band order.
enum LSHBucketList {
    static func encode(_ buckets: [Int64]) -> Data {
        #if _endian(little)
        buckets.withUnsafeBytes { Data($0) }
        #else
        buckets.map(\.littleEndian).withUnsafeBytes { Data($0) }
        #endif
    }

    static func decode(_ bytes: [UInt8]) -> [Int64] {
        bytes.withUnsafeBytes { raw in
            (0..<(raw.count / 8)).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        }
    }
}
