/// What the archive keeps of an article's latest cleaned text to find its near-duplicates.
public struct ArticleFingerprint: Sendable, Equatable {
    /// The exact shingle set, for verification.
    public let shingles: CompactShingles
    /// The MinHash signature, for LSH.
    public let signature: MinHashSignature

    /// Fingerprints a cleaned text.
    public init(text: String) {
        let set = ShingleSet(text)
        shingles = set.compact
        signature = MinHashSignature(set)
    }

    init(shingles: CompactShingles, signature: MinHashSignature) {
        self.shingles = shingles
        self.signature = signature
    }
}
