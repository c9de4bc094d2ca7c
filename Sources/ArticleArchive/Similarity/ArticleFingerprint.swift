/// What the archive keeps of an article's latest cleaned text to find its near-duplicates.
public struct ArticleFingerprint: Sendable, Equatable {
    /// The exact shingle set, for verification.
    public let shingles: CompactShingles
    /// The MinHash signature, for LSH.
    public let signature: MinHashSignature

    /// Fingerprints a cleaned text.
    public init(text: String) {
        var sketch = MinHashSignature.Sketch(length: MinHashSignature.defaultLength)
        var compact: [UInt32] = []
        compact.reserveCapacity(text.utf8.count / 6)
        ShingleSet.forEachShingle(of: text) { hash in
            sketch.add(hash)
            compact.append(UInt32(truncatingIfNeeded: hash >> 32))
        }
        shingles = CompactShingles(hashes: compact)
        signature = MinHashSignature(sketch: sketch)
    }

    init(shingles: CompactShingles, signature: MinHashSignature) {
        self.shingles = shingles
        self.signature = signature
    }
}
