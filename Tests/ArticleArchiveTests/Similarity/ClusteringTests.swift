import Foundation
import GRDB
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Clusters")
struct ClusteringTests {
    /// Ingests the records as one JSONL file (in batches of 2), each from the source its key starts with.
    @discardableResult
    private func ingest(_ fixture: ArchiveFixture, _ records: [(key: String, paragraphs: [String])]) throws
        -> IngestReport
    {
        try fixture.ingest(records: records.map { record in
            ["key": record.key, "text": record.paragraphs.joined(separator: "\n"),
             "source": record.key.components(separatedBy: "/")[0]]
        })
    }

    private func clusterKeys(_ fixture: ArchiveFixture, _ thresholds: ClusterThresholds = .standard) throws -> [[String]] {
        try fixture.archive.clusters(thresholds: thresholds).map { $0.members.map(\.key).sorted() }
    }

    @Test("one story on three sites is one cluster around its earliest copy; other stories stay apart")
    func republications() throws {
        let fixture = try ArchiveFixture()
        var maker = TextMaker(seed: 10)
        let story = maker.paragraphs(20)
        var edited = story
        edited[3] = "An entirely new sentence was written here by the second desk for its readers."
        try ingest(fixture, [
            ("a/story", story), ("b/story", edited), ("c/story", story + ["Update: more details emerged later."]),
            ("d/other", maker.paragraphs(20)), ("e/another", maker.paragraphs(20)),
        ])
        let clusters = try fixture.archive.clusters()
        #expect(clusters.count == 1)
        #expect(clusters[0].representative.key == "a/story")
        #expect(clusters[0].members.map(\.key).sorted() == ["a/story", "b/story", "c/story"])
        #expect(clusters[0].members.allSatisfy { $0.similarity >= 0.4 })
        #expect(try fixture.archive.similar(to: "b/story").map(\.key).sorted() == ["a/story", "c/story"])
    }

    @Test("a re-fetch that a newer version overtakes in its batch becomes a version, indexed with its own text")
    func refetchOvertakenInItsBatch() throws {
        let fixture = try ArchiveFixture()
        try ingestRefetchOvertakenInItsBatch(fixture, seed: 11)
        // The story's fingerprint is its latest text's, the copy's again.
        #expect(try fixture.archive.similar(to: "a/story").map(\.key) == ["b/copy"])
        #expect(try clusterKeys(fixture) == [["a/story", "b/copy"]])
    }

    @Test("an overtaken re-fetch whose stored text cannot be read is still recorded, as no one's near-duplicate")
    func overtakenRefetchWithUnreadableText() throws {
        let fixture = try ArchiveFixture()
        // A damaged store: the first ingest's packs are gone. The re-fetch is prepared without reading its text, and
        // the writer, finding it overtaken, cannot read it to make its fingerprint.
        try ingestRefetchOvertakenInItsBatch(fixture, seed: 13) {
            let store = fixture.archive.store
            for pack in store.packs().indexed { try store.removePack(pack) }
        }
        #expect(try fixture.archive.similar(to: "a/story").isEmpty)
        #expect(try !fixture.archive.verify().isHealthy)
    }

    /// Ingests a story and a copy of it, then (after `betweenBatches`) one batch prepared against the catalog as it
    /// was: a rewrite of the story, a new version, and the story again, which looked like a re-fetch of the latest
    /// version then but is a third version once the rewrite is written.
    private func ingestRefetchOvertakenInItsBatch(
        _ fixture: ArchiveFixture, seed: UInt64, betweenBatches: () throws -> Void = {}
    ) throws {
        var maker = TextMaker(seed: seed)
        let story = maker.paragraphs(20)
        let rewrite = maker.paragraphs(20)
        try ingest(fixture, [("a/story", story), ("b/copy", story)])
        #expect(try fixture.archive.similar(to: "a/story").map(\.key) == ["b/copy"])
        try betweenBatches()
        let report = try ingest(fixture, [("a/story", rewrite), ("a/story", story)])
        #expect(report.newVersions == 2 && report.unchanged == 0)
        #expect(try fixture.archive.versions(key: "a/story").map(\.number) == [1, 2, 3])
    }

    @Test("an excerpt joins the full story's cluster, marked as an excerpt")
    func excerpts() throws {
        let fixture = try ArchiveFixture()
        var maker = TextMaker(seed: 11)
        let story = maker.paragraphs(24)
        try ingest(fixture, [("wire/full", story), ("paper/excerpt", Array(story.prefix(8)))])
        let clusters = try fixture.archive.clusters()
        #expect(clusters.count == 1)
        let excerpt = try #require(clusters.first?.members.first { $0.key == "paper/excerpt" })
        #expect(excerpt.excerpt)
        #expect(excerpt.similarity < 0.4 && excerpt.containment > 0.9)
    }

    @Test("no chaining: A~B and B~C do not put C with A when A and C are far apart")
    func noChaining() throws {
        let fixture = try ArchiveFixture()
        var maker = TextMaker(seed: 12)
        let a = maker.paragraphs(30)
        var b = a
        for index in 0..<9 { b[index] = maker.paragraphs(1)[0] }   // B shares 70% of A
        var c = b
        for index in 9..<18 { c[index] = maker.paragraphs(1)[0] }  // C shares 70% of B, 40% of A
        try ingest(fixture, [("s/a", a), ("s/b", b), ("s/c", c)])
        let similarAC = ShingleSet(a.joined(separator: "\n")).compact.similarity(to: ShingleSet(c.joined(separator: "\n")).compact)
        #expect(similarAC.jaccard < 0.4)
        let clusters = try clusterKeys(fixture, ClusterThresholds(jaccard: 0.45))
        #expect(clusters == [["s/a", "s/b"]])
        for cluster in try fixture.archive.clusters(thresholds: ClusterThresholds(jaccard: 0.45)) {
            #expect(cluster.members.allSatisfy { $0.similarity >= 0.45 })
        }
    }

    @Test("a new version moves an article out of one cluster and into another; versions are one article")
    func incrementalUpdates() throws {
        let fixture = try ArchiveFixture()
        var maker = TextMaker(seed: 13)
        let first = maker.paragraphs(20)
        let second = maker.paragraphs(20)
        try ingest(fixture, [("x/one", first), ("y/two", second), ("z/moving", first)])
        #expect(try clusterKeys(fixture) == [["x/one", "z/moving"]])
        try ingest(fixture, [("z/moving", second)])
        #expect(try fixture.archive.versions(key: "z/moving").count == 2)
        #expect(try clusterKeys(fixture) == [["y/two", "z/moving"]])
        try ingest(fixture, [("z/moving", maker.paragraphs(20))])
        #expect(try clusterKeys(fixture).isEmpty)
    }

    @Test("another threshold at query time needs no re-ingest")
    func queryTimeThreshold() throws {
        let fixture = try ArchiveFixture()
        var maker = TextMaker(seed: 14)
        let story = maker.paragraphs(30)
        var loose = story
        for index in 0..<12 { loose[index * 2] = maker.paragraphs(1)[0] }
        try ingest(fixture, [("p/story", story), ("q/loose", loose)])
        let jaccard = try #require(try fixture.archive.similar(to: "p/story", thresholds: ClusterThresholds(jaccard: 0.2)).first?.similarity)
        #expect(try clusterKeys(fixture, ClusterThresholds(jaccard: jaccard - 0.05)) == [["p/story", "q/loose"]])
        #expect(try clusterKeys(fixture, ClusterThresholds(jaccard: jaccard + 0.05)).isEmpty)
    }

    @Test("export --dedup writes one article per story")
    func dedupExport() throws {
        let fixture = try ArchiveFixture()
        var maker = TextMaker(seed: 15)
        let story = maker.paragraphs(20)
        try ingest(fixture, [("a/1", story), ("b/1", story), ("c/1", maker.paragraphs(20))])
        let out = fixture.folder.path("dedup.jsonl")
        let report = try fixture.archive.export(format: .jsonl, to: out, deduplicatedAt: .standard)
        #expect(report.articles == 2)
        let keys = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map {
            (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["key"] as! String
        }
        #expect(keys.sorted() == ["a/1", "c/1"])
    }
}

@Suite("Similarity index across batches")
struct SimilarityBatchTests {
    /// Arrivals whose candidates were found in snapshots one or two batches old: an article given another text in
    /// the batch before must not keep its old neighbours, and articles of the last batches must be found.
    private static func arrivals() -> [(key: String, text: String)] {
        var maker = TextMaker(seed: 31)
        let (s1, s2, s3, s4) = (maker.paragraphs(20), maker.paragraphs(20), maker.paragraphs(20), maker.paragraphs(20))
        func edited(_ story: [String]) -> String {
            var copy = story
            copy[5] = "A sentence the second desk wrote in place of the fifth one for its own readers today."
            return copy.joined(separator: "\n")
        }
        let text = { (story: [String]) in story.joined(separator: "\n") }
        return [
            ("a", text(s1)), ("b", text(s2)),          // batch 1
            ("c", edited(s2)), ("x", text(s4)),        // batch 2: c ~ b
            ("a", text(s3)), ("y", text(s4) + "\nUpdated."),  // batch 3: a leaves s1 for s3; y ~ x
            ("d", edited(s1)), ("e", edited(s3)),      // batch 4: d finds a's old text in its snapshot; e ~ a
            ("f", text(s1)), ("z", text(maker.paragraphs(20))),  // batch 5: f ~ d, written the batch before
            ("g", text(s2)),                           // batch 6: g ~ b, c
        ]
    }

    private static let expected: Set<[String]> = [["b", "c"], ["x", "y"], ["a", "e"], ["d", "f"], ["b", "g"], ["c", "g"]]

    private static func edges(_ fixture: ArchiveFixture) throws -> Set<[String]> {
        try fixture.archive.catalog.pool.read { db in
            Set(try Row.fetchAll(db, sql: """
                SELECT x.key, y.key FROM similarity_edges e JOIN articles x ON x.id = e.a JOIN articles y ON y.id = e.b
                WHERE e.jaccard >= 0.4
                """).map { [$0[0] as String, $0[1] as String].sorted() })
        }
    }

    @Test("edges are those of the latest texts, in batches of two, in one batch, or one ingest per arrival")
    func sameEdgesWhateverTheBatches() throws {
        let records = Self.arrivals().map { ["key": $0.key, "text": $0.text] }
        for batchSize in [2, 1000] {
            let fixture = try ArchiveFixture()
            try fixture.ingest(records: records, batchSize: batchSize)
            #expect(try Self.edges(fixture) == Self.expected, "batches of \(batchSize)")
        }
        let fixture = try ArchiveFixture()
        for record in records { try fixture.ingest(records: [record]) }
        #expect(try Self.edges(fixture) == Self.expected, "one ingest per arrival")
    }
}

@Suite("Clusters at scale")
struct ClusterScaleTests {
    @Test("a story republished many times is one cluster, with edges growing linearly, not quadratically")
    func manyCopies() throws {
        let fixture = try ArchiveFixture()
        var maker = TextMaker(seed: 21)
        let story = maker.paragraphs(15)
        let copies = 3 * SimilarityIndexing.candidatesPerBucket
        try fixture.ingest(records: (0..<copies).map { ["key": "site\($0)/story", "text": story.joined(separator: "\n")] },
                           batchSize: 50)
        let clusters = try fixture.archive.clusters()
        #expect(clusters.count == 1)
        #expect(clusters.first?.size == copies)
        #expect(clusters.first?.representative.key == "site0/story")
        let edges = try fixture.archive.catalog.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM similarity_edges")!
        }
        #expect(edges <= copies * SimilarityIndexing.candidatesPerBucket)
        #expect(edges < copies * (copies - 1) / 2)
    }
}
