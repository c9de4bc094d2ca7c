import Testing
@testable import ArticleArchive

@Suite("Bucket article table")
struct BucketArticleTableTests {
    private func members(_ table: BucketArticleTable, _ bucket: UInt64) -> [Int64] {
        var articles: [Int64] = []
        table.appendArticles(under: bucket, to: &articles)
        return articles.sorted()
    }

    @Test("adds, removals and growth give what a dictionary of sets gives, buckets shared or not")
    func matchesADictionary() {
        var generator = SplitMix(seed: 7)
        var table = BucketArticleTable()
        var reference: [UInt64: Set<Int64>] = [:]
        // Few distinct buckets, so many articles share one and probe sequences run into each other.
        for step in 0..<20_000 {
            let bucket = generator.next() % 3_000 &* 0x1_0000_0001
            if step % 4 == 3, let (someBucket, articles) = reference.randomElement(using: &generator),
                let article = articles.randomElement(using: &generator) {
                table.remove(someBucket, article)
                reference[someBucket]!.remove(article)
            } else {
                let article = Int64(step + 1)
                table.add(bucket, article)
                reference[bucket, default: []].insert(article)
            }
        }
        for (bucket, articles) in reference {
            #expect(members(table, bucket) == articles.sorted())
        }
        #expect(members(table, 12_345).isEmpty)
        table.remove(12_345, 1)  // absent: nothing happens
        #expect(table.count >= reference.values.reduce(0) { $0 + $1.count })
    }
}
