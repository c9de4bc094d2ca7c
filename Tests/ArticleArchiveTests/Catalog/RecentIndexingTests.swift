import Testing
@testable import ArticleArchive

@Suite("Recent indexing")
struct RecentIndexingTests {
    private func shingles(_ values: [UInt32]) -> CompactShingles { CompactShingles(hashes: values) }

    private func members(_ recent: RecentIndexing, _ bucket: Int64) -> [Int64] {
        var articles: [Int64] = []
        recent.appendArticles(under: bucket, to: &articles)
        return articles.sorted()
    }

    @Test("articles indexed this batch and the previous one are seen under their buckets; older ones are not")
    func keepsTwoBatches() {
        var recent = RecentIndexing(dataVersion: 1)
        _ = recent.startBatch(dataVersion: 1)
        recent.record(1, buckets: [10, 11], shingles: shingles([1, 2]))
        recent.record(2, buckets: [10, 12], shingles: shingles([3]))
        #expect(members(recent, 10) == [1, 2])
        #expect(members(recent, 11) == [1])
        recent.finishBatch()

        _ = recent.startBatch(dataVersion: 1)
        recent.record(3, buckets: [10, 13], shingles: shingles([4]))
        #expect(members(recent, 10) == [1, 2, 3])
        #expect(recent.wasReindexed(1) && recent.wasReindexed(3))
        #expect(recent.shingles(of: 2) == shingles([3]))
        recent.finishBatch()

        // Batch 1 is in every snapshot from now on: only batch 2 remains.
        #expect(members(recent, 10) == [3])
        #expect(members(recent, 11).isEmpty && members(recent, 12).isEmpty)
        #expect(!recent.wasReindexed(1) && recent.shingles(of: 1) == nil)
        #expect(recent.shingles(of: 3) == shingles([4]))
    }

    @Test("an article indexed again leaves its old buckets, whichever batch indexed it")
    func reindexingMovesAnArticle() {
        var recent = RecentIndexing(dataVersion: 1)
        _ = recent.startBatch(dataVersion: 1)
        recent.record(1, buckets: [10, 11], shingles: shingles([1]))
        recent.record(2, buckets: [10], shingles: shingles([2]))
        recent.record(3, buckets: [10], shingles: shingles([3]))
        recent.finishBatch()

        _ = recent.startBatch(dataVersion: 1)
        recent.record(1, buckets: [20], shingles: shingles([9]))
        recent.record(2, buckets: [21], shingles: shingles([8]))
        #expect(members(recent, 10) == [3])
        #expect(members(recent, 11).isEmpty)
        #expect(members(recent, 20) == [1] && members(recent, 21) == [2])
        #expect(recent.shingles(of: 1) == shingles([9]))
        recent.record(1, buckets: [21], shingles: shingles([7]))
        #expect(members(recent, 20).isEmpty && members(recent, 21) == [1, 2])
        recent.finishBatch()

        // The re-indexed articles belong to the batch that indexed them last, and stay one batch longer.
        #expect(members(recent, 10).isEmpty)
        #expect(members(recent, 21) == [1, 2])
        #expect(recent.shingles(of: 1) == shingles([7]))
    }

    @Test("prepared neighbours are trusted only after two transactions in a row saw no other commit")
    func trustsPreparedNeighboursAfterCleanChecks() {
        var recent = RecentIndexing(dataVersion: 5)
        #expect(recent.nobodyElseCommitted(dataVersion: 5))
        var trusted = recent.startBatch(dataVersion: 5)
        #expect(trusted)
        recent.finishBatch()
        trusted = recent.startBatch(dataVersion: 7)  // another connection committed
        #expect(!trusted)
        recent.finishBatch()
        #expect(!recent.nobodyElseCommitted(dataVersion: 7))
        trusted = recent.startBatch(dataVersion: 7)
        #expect(!trusted)
        recent.finishBatch()
        trusted = recent.startBatch(dataVersion: 7)
        #expect(trusted)
    }
}
