import Testing
@testable import ArticleArchive

@Suite("MinHash and LSH")
struct MinHashTests {
    /// Pairs of texts whose true Jaccard similarity spans 0 to 1.
    private func pairs() -> [(ShingleSet, ShingleSet)] {
        var maker = TextMaker(seed: 3)
        return (0..<120).map { index in
            let base = maker.paragraphs(30)
            var other = base
            let changes = index % 30
            for position in 0..<changes { other[(position * 7) % other.count] = maker.paragraphs(1)[0] }
            return (ShingleSet(base.joined(separator: " ")), ShingleSet(other.joined(separator: " ")))
        }
    }

    private func exact(_ a: ShingleSet, _ b: ShingleSet) -> Double {
        let left = Set(a.hashes)
        let right = Set(b.hashes)
        return Double(left.intersection(right).count) / Double(left.union(right).count)
    }

    @Test("estimates track the exact Jaccard similarity (mean absolute error under 0.04)")
    func accuracy() {
        let errors = pairs().map { a, b in
            abs(MinHashSignature(a).estimatedJaccard(MinHashSignature(b)) - exact(a, b))
        }
        let mean = errors.reduce(0, +) / Double(errors.count)
        #expect(mean < 0.04)
        #expect(errors.max()! < 0.2)
    }

    @Test("identical sets have identical signatures; unrelated ones almost never agree")
    func extremes() {
        var maker = TextMaker(seed: 4)
        let a = ShingleSet(maker.paragraphs(20).joined(separator: " "))
        let b = ShingleSet(maker.paragraphs(20).joined(separator: " "))
        #expect(MinHashSignature(a) == MinHashSignature(a))
        #expect(MinHashSignature(a).estimatedJaccard(MinHashSignature(b)) < 0.05)
    }

    @Test("short texts with empty bins are densified: every position holds a value")
    func densification() {
        let signature = MinHashSignature(ShingleSet("only a handful of words in this one short line"))
        #expect(!signature.values.contains(.max))
    }

    @Test("the standard banding finds pairs at the default threshold and above, and few unrelated ones")
    func lshRecall() {
        let bands = LSHBands.standard
        #expect(bands.bands * bands.rows <= MinHashSignature.defaultLength)
        #expect(bands.candidateProbability(0.4) > 0.9)
        #expect(bands.candidateProbability(0.5) > 0.99)
        #expect(bands.candidateProbability(0.05) < 0.01)
        var found = 0
        var total = 0
        for (a, b) in pairs() where exact(a, b) >= 0.4 {
            total += 1
            let shared = zip(bands.buckets(MinHashSignature(a)), bands.buckets(MinHashSignature(b))).contains { $0 == $1 }
            if shared { found += 1 }
        }
        #expect(total >= 40)
        #expect(Double(found) / Double(total) >= 0.95)
    }
}
