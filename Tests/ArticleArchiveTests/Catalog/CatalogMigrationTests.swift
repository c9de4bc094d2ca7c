import Foundation
import GRDB
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Catalog migrations")
struct CatalogMigrationTests {
    private let story: String = {
        var maker = TextMaker(seed: 41)
        return maker.paragraphs(12).joined(separator: "\n")
    }()

    @Test("an archive made before packs (loose objects, stored shingles) opens, reads, and indexes new versions")
    func migratesFromLooseObjectsAndStoredShingles() throws {
        let folder = try TemporaryDirectory()
        let (directory, store) = try ArchiveFixture.bareArchive(in: folder)
        let raw = try store.write(Array(story.utf8))
        let fingerprint = ArticleFingerprint(text: story)
        let buckets = SimilarityIndexing.bands.buckets(fingerprint.signature)

        // The catalog as the version before packs left it: schema v3, one article, its shingles and LSH rows.
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(Catalog.fileName).path)
        try CatalogSchema.migrator.migrate(queue, upTo: "v3: fingerprints, LSH buckets, verified similarity edges")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO objects (id, size, stored_size, created_at) VALUES (?, ?, ?, 0);
                INSERT INTO cleaners (id, name, version) VALUES (1, 'chrome', '1');
                INSERT INTO ingest_runs (id, started_at, tool_version, arguments) VALUES (1, 0, '0.1.0', '[]');
                INSERT INTO articles (id, key, first_seen_at, last_seen_at) VALUES (1, 'story', 0, 0);
                INSERT INTO versions (id, article_id, number, raw_object, created_at) VALUES (1, 1, 1, ?, 0);
                INSERT INTO cleanings (version_id, object, cleaner_id, created_at) VALUES (1, ?, 1, 0);
                INSERT INTO captures (run_id, article_id, version_id, outcome, captured_at, input_kind, input_sha256,
                    body_size) VALUES (1, 1, 1, 'new-article', 0, 'file', '', ?);
                INSERT INTO fingerprints (article_id, version_id, shingle_count, shingles) VALUES (1, 1, ?, x'00');
                """, arguments: [raw.id.hex, raw.size, raw.storedSize, raw.id.hex, raw.id.hex, raw.size,
                                 fingerprint.shingles.values.count])
            for (band, bucket) in buckets.enumerated() {
                try db.execute(sql: "INSERT INTO lsh_buckets (band, bucket, article_id) VALUES (?, ?, 1)",
                               arguments: [band, bucket])
            }
        }
        try queue.close()

        let archive = try Archive.open(at: directory.path)
        try archive.catalog.pool.read { db in
            let stored = try Data.fetchOne(db, sql: "SELECT buckets FROM fingerprints WHERE article_id = 1")
            #expect(LSHBucketList.decode(Array(try #require(stored))) == buckets)
            #expect(try !db.tableExists("lsh_buckets"))
        }
        #expect(try archive.text(of: try archive.version(key: "story"), raw: true) == story)

        // A new version replaces the old LSH entries (the index is rebuilt from the migrated bucket lists), and a
        // republication of it is found near it.
        let updated = story + "\nUpdate: the council confirmed the figures on Tuesday and said work would start soon."
        let input = try folder.write("story-v2.txt", updated)
        _ = try archive.ingest([.path(input)], options: IngestOptions(key: "story"))
        let copy = try folder.write("copy.txt", updated)
        _ = try archive.ingest([.path(copy)], options: IngestOptions(key: "copy"))
        let newBuckets = SimilarityIndexing.bands.buckets(ArticleFingerprint(text: updated).signature)
        try archive.catalog.pool.writeWithoutTransaction { db in
            let lsh = try archive.catalog.lshIndex.update(in: db)
            for bucket in Set(buckets).subtracting(newBuckets) {
                #expect(try !lsh.articles(under: UInt64(bitPattern: bucket)).contains(1))
            }
            for bucket in newBuckets {
                #expect(try lsh.articles(under: UInt64(bitPattern: bucket)).contains(1))
            }
        }
        #expect(try archive.similar(to: "story").map(\.key) == ["copy"])
        #expect(try archive.verify().isHealthy)
    }
}
