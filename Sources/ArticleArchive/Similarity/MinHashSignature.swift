/// A MinHash signature by one-permutation hashing with optimal densification (Shrivastava, ICML 2017): each
/// shingle hash falls in one of `length` bins by its top bits and keeps the minimum of its low bits; an empty bin
/// borrows the value of a non-empty bin chosen by a fixed pseudo-random probe sequence. One hash per shingle,
/// instead of one per shingle and permutation, with the same estimator: the share of equal positions
/// estimates the Jaccard similarity.
public struct MinHashSignature: Sendable, Equatable {
    /// Values per signature (a power of two).
    public static let defaultLength = 128

    /// The signature values.
    public let values: [UInt64]

    /// Signs a shingle set.
    public init(_ shingles: ShingleSet, length: Int = MinHashSignature.defaultLength) {
        var sketch = Sketch(length: length)
        for hash in shingles.hashes { sketch.add(hash) }
        self.init(sketch: sketch)
    }

    /// Signs a text's shingles as they are made, without keeping them: the path from text to signature.
    public init(text: String, length: Int = MinHashSignature.defaultLength) {
        var sketch = Sketch(length: length)
        ShingleSet.forEachShingle(of: text) { sketch.add($0) }
        self.init(sketch: sketch)
    }

    /// The bins being filled: each shingle hash goes to the bin of its top bits and keeps the minimum low bits.
    struct Sketch {
        var bins: [UInt64]
        let shift: UInt64
        let mask: UInt64

        init(length: Int) {
            precondition(length > 0 && length & (length - 1) == 0, "the length must be a power of two")
            shift = UInt64(64 - length.trailingZeroBitCount)
            mask = (1 << shift) - 1
            bins = [UInt64](repeating: .max, count: length)
        }

        /// Keeps `hash` in its bin if it is the smallest yet. Whether it is, is a coin toss early in a text, so the
        /// minimum is stored without a branch.
        @inline(__always) mutating func add(_ hash: UInt64) {
            let bin = Int(truncatingIfNeeded: hash &>> shift)
            bins[bin] = min(bins[bin], hash & mask)
        }
    }

    init(sketch: Sketch) {
        var bins = sketch.bins
        let length = bins.count
        if bins.contains(.max) && bins.contains(where: { $0 != .max }) {
            let filled = bins
            for bin in 0..<length where filled[bin] == .max {
                var attempt: UInt64 = 0
                while true {
                    let probe = Int(truncatingIfNeeded: Mix.finalize(UInt64(bin) << 32 | attempt) % UInt64(length))
                    if filled[probe] != .max {
                        bins[bin] = filled[probe]
                        break
                    }
                    attempt += 1
                }
            }
        }
        values = bins
    }

    /// The estimated Jaccard similarity: the share of positions where the signatures agree.
    public func estimatedJaccard(_ other: MinHashSignature) -> Double {
        guard values.count == other.values.count, !values.isEmpty else { return 0 }
        let equal = zip(values, other.values).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(equal) / Double(values.count)
    }
}
