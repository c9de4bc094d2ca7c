import Foundation

/// An article's LSH buckets as stored with its fingerprint: 8 little-endian bytes per band, in band order.
enum LSHBucketList {
    static func encode(_ buckets: [Int64]) -> Data {
        var data = Data(capacity: buckets.count * 8)
        for bucket in buckets { withUnsafeBytes(of: bucket.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func decode(_ bytes: [UInt8]) -> [Int64] {
        stride(from: 0, to: bytes.count - bytes.count % 8, by: 8).map { offset in
            (0..<8).reduce(Int64(0)) { value, index in value | Int64(bytes[offset + index]) << (8 * index) }
        }
    }
}
