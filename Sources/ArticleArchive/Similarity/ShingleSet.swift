import Foundation

/// The word shingles of a text: every run of `size` consecutive words, after Unicode NFKC normalisation, case
/// folding and dropping punctuation, each hashed to 64 bits. Quote styles, spacing and paragraph breaks do not
/// change the set; a changed word changes the `size` shingles that contain it.
public struct ShingleSet: Sendable, Equatable {
    /// Words per shingle.
    public static let defaultSize = 5

    /// The shingle hashes, in text order (a shingle that recurs appears more than once).
    public let hashes: [UInt64]

    /// Shingles `text`.
    public init(_ text: String, size: Int = ShingleSet.defaultSize) {
        var hashes: [UInt64] = []
        hashes.reserveCapacity(text.utf8.count / 6)
        Self.forEachShingle(of: text, size: size) { hashes.append($0) }
        self.hashes = hashes
    }

    /// Calls `body` with the hash of each shingle of `text`, in text order, without keeping them.
    @inline(__always)
    static func forEachShingle(of text: String, size: Int = defaultSize, _ body: (UInt64) -> Void) {
        var text = text
        var (words, sawCompatibility) = text.withUTF8 { WordTokenizer.wordHashes($0) }
        if sawCompatibility {
            // Rare: tokenise again after NFKC, so "ﬁnance" and "finance", or "Ｈello" and "Hello", agree.
            var normalized = text.precomposedStringWithCompatibilityMapping
            words = normalized.withUTF8 { WordTokenizer.wordHashes($0).hashes }
        }
        forEachShingle(ofWords: words, size: size, body)
    }

    /// Each shingle's hash from the word hashes, in text order; a text shorter than one shingle is one shingle of
    /// all its words.
    @inline(__always)
    static func forEachShingle(ofWords words: [UInt64], size: Int, _ body: (UInt64) -> Void) {
        guard !words.isEmpty else { return }
        let width = min(size, words.count)
        // Each position rotates its word differently (by 13 bits per place), so the same words in another order
        // hash apart. The window rolls: drop the first word (rotated by 0), rotate the rest back one place, and
        // add the new last word, which gives the same value as hashing the window afresh.
        @inline(__always) func rotated(_ word: UInt64, _ places: Int) -> UInt64 {
            let rotation = UInt64(places * 13)
            return (word << rotation) | (word >> ((64 - rotation) & 63))
        }
        words.withUnsafeBufferPointer { words in
            var hash: UInt64 = 0
            for offset in 0..<width { hash ^= rotated(words[offset], offset) }
            body(Mix.finalize(hash))
            guard words.count > width else { return }
            for start in 1...(words.count - width) {
                let rest = hash ^ words[start - 1]
                hash = (rest >> 13) | (rest << 51)
                hash ^= rotated(words[start + width - 1], width - 1)
                body(Mix.finalize(hash))
            }
        }
    }

    /// The set as stored for exact verification: the top 32 bits of each hash, sorted and distinct.
    public var compact: CompactShingles {
        CompactShingles(hashes: hashes.map { UInt32(truncatingIfNeeded: $0 >> 32) })
    }
}

/// A shingle set kept as sorted, distinct 32-bit hashes: half the space, and collisions between two articles'
/// few thousand shingles are too rare to move a similarity.
public struct CompactShingles: Sendable, Equatable {
    /// The hashes, sorted and distinct.
    public let values: [UInt32]

    /// The shingle set of a text (what `ArticleFingerprint` keeps, without the MinHash signature).
    init(text: String) {
        var compact: [UInt32] = []
        compact.reserveCapacity(text.utf8.count / 6)
        ShingleSet.forEachShingle(of: text) { compact.append(UInt32(truncatingIfNeeded: $0 >> 32)) }
        self.init(hashes: compact)
    }

    init(hashes values: [UInt32]) {
        var sorted = values
        Self.radixSort(&sorted)
        var unique: [UInt32] = []
        unique.reserveCapacity(sorted.count)
        for value in sorted where unique.last != value { unique.append(value) }
        self.values = unique
    }

    /// Sorts in four passes of one byte each (the four histograms counted in one read): for a few hundred hashes,
    /// a fraction of a comparison sort's work.
    static func radixSort(_ values: inout [UInt32]) {
        let count = values.count
        guard count > 1 else { return }
        var scratch = [UInt32](repeating: 0, count: count)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * 256) { counts in
            counts.initialize(repeating: 0)
            values.withUnsafeMutableBufferPointer { values in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    for value in values {
                        counts[Int(value & 0xFF)] += 1
                        counts[256 + Int((value >> 8) & 0xFF)] += 1
                        counts[512 + Int((value >> 16) & 0xFF)] += 1
                        counts[768 + Int(value >> 24)] += 1
                    }
                    for pass in 0..<4 {
                        var total = 0
                        for digit in 0..<256 {
                            let n = counts[pass * 256 + digit]
                            counts[pass * 256 + digit] = total
                            total += n
                        }
                    }
                    let (even, odd) = (values.baseAddress!, scratch.baseAddress!)
                    for pass in 0..<4 {
                        let (source, target) = pass % 2 == 0 ? (even, odd) : (odd, even)
                        let shift = UInt32(pass * 8)
                        let base = pass * 256
                        for index in 0..<count {
                            let value = source[index]
                            let slot = base + Int((value >> shift) & 0xFF)
                            target[counts[slot]] = value
                            counts[slot] += 1
                        }
                    }
                    // Four passes end where they began, in `values`.
                }
            }
        }
    }

    /// Exact Jaccard similarity, and containment: the shared shingles over the smaller set's.
    public func similarity(to other: CompactShingles) -> Similarity {
        guard !values.isEmpty, !other.values.isEmpty else { return Similarity(jaccard: 0, containment: 0) }
        var shared = 0
        var left = 0
        var right = 0
        while left < values.count && right < other.values.count {
            let a = values[left]
            let b = other.values[right]
            if a == b {
                shared += 1
                left += 1
                right += 1
            } else if a < b {
                left += 1
            } else {
                right += 1
            }
        }
        let union = values.count + other.values.count - shared
        return Similarity(
            jaccard: Double(shared) / Double(union),
            containment: Double(shared) / Double(min(values.count, other.values.count)))
    }
}

/// How near two articles are, measured on their exact shingle sets.
public struct Similarity: Sendable, Equatable, Codable {
    /// Shared shingles over all shingles of the two.
    public var jaccard: Double
    /// Shared shingles over the smaller article's shingles: near 1 when one is an excerpt of the other.
    public var containment: Double

    /// The smaller article's shingle count over the larger's, derived from the two measures
    /// (with s shared, a ≤ b: J = s / (a + b - s) and C = s / a, so a / b = 1 / (C / J - 1 + C)).
    public var sizeRatio: Double {
        guard jaccard > 0 else { return 0 }
        return min(1, 1 / (containment / jaccard - 1 + containment))
    }
}

/// 64-bit mixing functions.
enum Mix {
    /// The splitmix64 finaliser: spreads every input bit over all output bits.
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
