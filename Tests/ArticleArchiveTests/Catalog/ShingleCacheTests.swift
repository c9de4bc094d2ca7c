import Testing
@testable import ArticleArchive

@Suite("Shingle cache")
struct ShingleCacheTests {
    @Test("keeps the most recent entries up to its capacity, by content address")
    func evictsOldest() {
        let cache = ShingleCache(capacity: 2)
        let texts = ["one story told in many words here", "another story with other words", "a third one"]
        let ids = texts.map { ObjectID.forBlob(Array($0.utf8)) }
        let sets = texts.map { ArticleFingerprint(text: $0).shingles }
        cache.remember(sets[0], of: ids[0])
        cache.remember(sets[1], of: ids[1])
        cache.remember(sets[0], of: ids[0])  // already there: no eviction
        #expect(cache.shingles(of: ids[0]) == sets[0] && cache.shingles(of: ids[1]) == sets[1])
        cache.remember(sets[2], of: ids[2])
        #expect(cache.shingles(of: ids[0]) == nil)
        #expect(cache.shingles(of: ids[1]) == sets[1] && cache.shingles(of: ids[2]) == sets[2])
    }
}
