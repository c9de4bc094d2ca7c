import Foundation
import GRDB
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("LSH run index")
struct LSHRunIndexTests {
    /// A catalog schema in a fresh folder, and an index beside it with tiny size classes, so a few hundred entries
    /// go through many merges.
    private struct Fixture {
        let folder: TemporaryDirectory
        let queue: DatabaseQueue
        let index: LSHRunIndex

        init(fanout: Int = 3, baseEntries: Int = 40) throws {
            folder = try TemporaryDirectory()
            queue = try DatabaseQueue(path: folder.path("catalog.sqlite"))
            try CatalogSchema.migrator.migrate(queue)
            index = LSHRunIndex(directory: folder.path("lsh"), fanout: fanout, baseEntries: baseEntries)
        }

        func files() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: index.directory))
        }
    }

    @Test("a run finds every record of a bucket, also when they span blocks")
    func runLookup() throws {
        let folder = try TemporaryDirectory()
        var records: [LSHRecord] = []
        for bucket in UInt64(0)..<40 {
            // Bucket 7 holds 700 articles: it crosses block boundaries (256 records each).
            for article in 0..<(bucket == 7 ? 700 : Int(bucket % 3)) {
                records.append(LSHRecord(bucket: bucket * 1000, article: Int64(article), isTombstone: article % 5 == 4))
            }
        }
        let writer = try LSHRunWriter(path: folder.path("a.run"))
        for record in records { try writer.append(record) }
        try writer.finish()
        let run = try LSHRun(path: folder.path("a.run"))
        #expect(run.count == records.count)
        for bucket in UInt64(0)..<40 {
            #expect(try run.records(in: bucket * 1000) == records.filter { $0.bucket == bucket * 1000 })
            #expect(try run.records(in: bucket * 1000 + 1).isEmpty)
        }
        #expect(try run.records(in: .max).isEmpty)
        var cursor = LSHRun.Cursor(run)
        var read: [LSHRecord] = []
        while let record = try cursor.peek() {
            read.append(record)
            cursor.advance()
        }
        #expect(read == records)
    }

    @Test("a truncated run is refused, naming the file")
    func truncatedRun() throws {
        let folder = try TemporaryDirectory()
        let writer = try LSHRunWriter(path: folder.path("a.run"))
        for article in 0..<300 { try writer.append(LSHRecord(bucket: 5, article: Int64(article))) }
        try writer.finish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("a.run")))
        try bytes.dropLast(9).write(to: URL(fileURLWithPath: folder.path("a.run")))
        #expect(throws: StoreError.self) { try LSHRun(path: folder.path("a.run")) }
    }

    @Test("candidates match a plain model through adds, removals, merges and tombstones")
    func matchesModel() throws {
        let fixture = try Fixture()
        var model: [Int64: Set<Int64>] = [:]  // bucket -> articles
        var generator = SystemRandomNumberGenerator()
        var articleBuckets: [Int64: [Int64]] = [:]
        let limit = 5
        for transaction in 0..<40 {
            try fixture.queue.inTransaction { db in
                let update = try fixture.index.update(in: db)
                for _ in 0..<Int.random(in: 1...12, using: &generator) {
                    let article = Int64.random(in: 1...60, using: &generator)
                    if let old = articleBuckets[article] {
                        update.remove(article: article, buckets: old)
                        for bucket in old { model[bucket]?.remove(article) }
                    }
                    // Bucket 0 is shared by every article (a bucket whose records span blocks in later runs).
                    let buckets = [0] + (0..<3).map { _ in Int64.random(in: 1...25, using: &generator) }
                    let expected = Set(buckets.flatMap { bucket in
                        (model[bucket] ?? []).filter { $0 != article }.sorted().prefix(limit)
                    })
                    #expect(try update.candidates(of: buckets, excluding: article, limit: limit) == expected,
                            "transaction \(transaction), article \(article)")
                    update.add(article: article, buckets: buckets)
                    for bucket in buckets { model[bucket, default: []].insert(article) }
                    articleBuckets[article] = buckets
                }
                try update.finish(in: db)
                #expect(update.runs.count <= 12)
                return .commit
            }
        }
        try fixture.queue.inTransaction { db in
            let update = try fixture.index.update(in: db)
            for bucket in Int64(0)...25 {
                #expect(try update.candidates(of: [bucket], excluding: -1, limit: 1000) == model[bucket] ?? [])
            }
            // Exactly the listed runs are on disk: merged ones went once their merge committed.
            let listed = try String.fetchAll(db, sql: "SELECT file FROM lsh_runs")
            #expect(try fixture.files() == Set(listed))
            return .commit
        }
    }

    @Test("a run written by a transaction that rolls back is removed, and the index is unchanged")
    func rollback() throws {
        let fixture = try Fixture()
        try fixture.queue.inTransaction { db in
            let update = try fixture.index.update(in: db)
            update.add(article: 1, buckets: [10, 11])
            try update.finish(in: db)
            return .commit
        }
        try fixture.queue.inTransaction { db in
            let update = try fixture.index.update(in: db)
            update.remove(article: 1, buckets: [10])
            update.add(article: 2, buckets: [10])
            try update.finish(in: db)
            return .rollback
        }
        #expect(try fixture.files().count == 2)
        try fixture.queue.inTransaction { db in
            let update = try fixture.index.update(in: db)
            #expect(try fixture.files().count == 1)
            #expect(try update.candidates(of: [10], excluding: 0, limit: 10) == [1])
            return .commit
        }
    }

    @Test("a missing run makes the index rebuild from the fingerprints")
    func rebuildsMissingRun() throws {
        let fixture = try Fixture()
        try fixture.queue.write { db in
            try db.execute(sql: """
                INSERT INTO articles (id, key, first_seen_at, last_seen_at) VALUES (1, 'a', 0, 0), (2, 'b', 0, 0);
                INSERT INTO objects (id, size, stored_size, created_at) VALUES ('x', 1, 1, 0);
                INSERT INTO versions (id, article_id, number, raw_object, created_at) VALUES (1, 1, 1, 'x', 0), (2, 2, 1, 'x', 0);
                """)
            for (article, buckets) in [(1, [Int64(10), 11]), (2, [11, 12])] {
                try db.execute(
                    sql: "INSERT INTO fingerprints (article_id, version_id, shingle_count, buckets) VALUES (?, ?, 1, ?)",
                    arguments: [article, article, LSHBucketList.encode(buckets)])
            }
        }
        // The first update finds no runs and builds them.
        try fixture.queue.inTransaction { db in
            let update = try fixture.index.update(in: db)
            #expect(try update.candidates(of: [11], excluding: 0, limit: 10) == [1, 2])
            return .commit
        }
        for file in try fixture.files() { try FileManager.default.removeItem(atPath: fixture.index.path(of: file)) }
        try fixture.queue.inTransaction { db in
            let update = try fixture.index.update(in: db)
            #expect(try update.candidates(of: [10, 12], excluding: 0, limit: 10) == [1, 2])
            return .commit
        }
    }
}
