/// What the archive keeps of an article's latest cleaned text to find its near-duplicates.
public struct ArticleFingerprint: Sendable, Equatable {
    /// The exact shingle set, for verification.
    public let shingles: CompactShingles
    /// The MinHash signature, for LSH.
    public let signature: MinHashSignature

    /// Fingerprints a cleaned text.
    public init(text: String) {
        self.init(expectedShingles: text.utf8.count / 6) { ShingleSet.forEachShingle(of: text, $0) }
    }

    /// Fingerprints a text given the hashes of its words (`WordTokenizer.wordHashes`, of a text with no letter
    /// whose NFKC form differs): the same fingerprint as `init(text:)` of that text.
    init(wordHashes: [UInt64]) {
        self.init(expectedShingles: wordHashes.count) {
            ShingleSet.forEachShingle(ofWords: wordHashes, size: ShingleSet.defaultSize, $0)
        }
    }

    private init(expectedShingles: Int, shingling: ((UInt64) -> Void) -> Void) {
        var sketch = MinHashSignature.Sketch(length: MinHashSignature.defaultLength)
        var compact: [UInt32] = []
        compact.reserveCapacity(expectedShingles)
        shingling { hash in
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
