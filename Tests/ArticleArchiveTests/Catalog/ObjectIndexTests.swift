import Foundation
import GRDB
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Object index")
struct ObjectIndexTests {
    private func objectRowCount(_ archive: Archive) throws -> Int {
        try archive.catalog.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM objects")! }
    }

    @Test("ids sharing their first 64 bits are told apart by their rows; an unknown one is not found")
    func sharedKeys() throws {
        let fixture = try ArchiveFixture()
        let catalog = fixture.archive.catalog
        let prefix = String(repeating: "ab", count: 8)
        let first = try #require(ObjectID(hex: prefix + String(repeating: "1", count: 48)))
        let second = try #require(ObjectID(hex: prefix + String(repeating: "2", count: 48)))
        let unknown = try #require(ObjectID(hex: prefix + String(repeating: "3", count: 48)))
        #expect(Catalog.objectKey(first) == 0xabab_abab_abab_abab && Catalog.objectKey(second) == Catalog.objectKey(first))
        let rows = try catalog.pool.write { db in
            let index = try catalog.objectIndex.update(in: db)
            let rows = try [first, second].map { id in
                try catalog.insertObject(.init(id: id, size: 1, storedSize: 1, created: true), at: 0, index: index, in: db)
            }
            // Listing one again, in the same transaction, finds its row.
            #expect(try catalog.insertObject(
                .init(id: second, size: 1, storedSize: 1, created: true), at: 0, index: index, in: db) == rows[1])
            try index.finish(in: db)
            return rows
        }
        #expect(rows[0] != rows[1])
        let found = try catalog.pool.read { db in
            try [first, second, unknown].map { try catalog.row(of: $0, in: db) }
        }
        #expect(found == [rows[0], rows[1], nil])
        #expect(try objectRowCount(fixture.archive) == 2)
    }

    @Test("an identical body arriving later, or in the same batch, is listed and stored once")
    func deduplicates() throws {
        let fixture = try ArchiveFixture()
        let body = "One body, republished word for word.\nA second line of it."
        try fixture.ingest(records: [["key": "a", "text": body], ["key": "b", "text": body]], batchSize: 10)
        let before = try objectRowCount(fixture.archive)
        try fixture.ingest(text: body, key: "c")
        #expect(try objectRowCount(fixture.archive) == before)
        #expect(try fixture.archive.version(key: "c").rawObject == fixture.archive.version(key: "a").rawObject)
        #expect(try fixture.archive.verify().isHealthy)
    }

    @Test("with its runs gone, the index is rebuilt from the objects table by the next write")
    func rebuildsFromTable() throws {
        let fixture = try ArchiveFixture()
        let body = "A story kept once.\nIts second line."
        try fixture.ingest(text: body, key: "a")
        let before = try objectRowCount(fixture.archive)
        let directory = fixture.archive.catalog.objectIndex.directory
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) {
            try FileManager.default.removeItem(atPath: directory + "/" + file)
        }
        try fixture.ingest(text: body, key: "b")
        #expect(try objectRowCount(fixture.archive) == before)
        #expect(try fixture.archive.text(of: fixture.archive.version(key: "b"), raw: true) == body)
        #expect(try fixture.archive.verify().isHealthy)
    }

    @Test("an archive of catalog v6 (objects keyed by id) migrates: rows in arrival order, versions and cleanings on them")
    func migratesFromV6() throws {
        let folder = try TemporaryDirectory()
        let (directory, store) = try ArchiveFixture.bareArchive(in: folder)
        let raw = try store.write(Array("Raw body\nwith a menu line".utf8))
        let cleaned = try store.write(Array("Raw body".utf8))
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(Catalog.fileName).path)
        try CatalogSchema.migrator.migrate(queue, upTo: "v6: no indexes by object id on versions and cleanings")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO objects (id, size, stored_size, created_at) VALUES (?, ?, ?, 1), (?, ?, ?, 2);
                INSERT INTO cleaners (id, name, version) VALUES (1, 'chrome', '1');
                INSERT INTO ingest_runs (id, started_at, tool_version, arguments) VALUES (1, 0, '0.1.0', '[]');
                INSERT INTO articles (id, key, first_seen_at, last_seen_at) VALUES (1, 'a', 0, 0), (2, 'b', 0, 0);
                INSERT INTO versions (id, article_id, number, raw_object, created_at)
                    VALUES (1, 1, 1, ?, 0), (2, 2, 1, ?, 0);
                INSERT INTO cleanings (version_id, object, cleaner_id, created_at) VALUES (1, ?, 1, 0), (2, ?, 1, 0);
                INSERT INTO captures (run_id, article_id, version_id, outcome, captured_at, input_kind, input_sha256,
                    body_size) VALUES (1, 1, 1, 'new-article', 0, 'file', '', ?), (1, 2, 2, 'new-article', 0, 'file', '', ?);
                """, arguments: [raw.id.hex, raw.size, raw.storedSize, cleaned.id.hex, cleaned.size, cleaned.storedSize,
                                 raw.id.hex, raw.id.hex, cleaned.id.hex, cleaned.id.hex, raw.size, raw.size])
        }
        try queue.close()

        let archive = try Archive.open(at: directory.path)
        let (objects, rawRows, cleanedRows) = try archive.catalog.pool.read { db in
            (try Row.fetchAll(db, sql: "SELECT row, id FROM objects ORDER BY row").map { ($0[0] as Int64, $0[1] as String) },
             try Int64.fetchAll(db, sql: "SELECT raw_row FROM versions ORDER BY id"),
             try Int64.fetchAll(db, sql: "SELECT object_row FROM cleanings ORDER BY id"))
        }
        #expect(objects.map(\.1) == [raw.id.hex, cleaned.id.hex])
        #expect(rawRows == [objects[0].0, objects[0].0])
        #expect(cleanedRows == [objects[1].0, objects[1].0])
        #expect(try archive.text(of: archive.version(key: "b")) == "Raw body")
        #expect(try archive.text(of: archive.version(key: "a"), raw: true) == "Raw body\nwith a menu line")
        #expect(try archive.verify().isHealthy)
        // The first write builds the object index from the table: the same body again is not listed twice.
        let input = try folder.write("again.txt", "Raw body\nwith a menu line")
        _ = try archive.ingest([.path(input)], options: IngestOptions(key: "c"))
        let listings = try archive.catalog.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM objects WHERE id = ?", arguments: [raw.id.hex])
        }
        #expect(listings == 1)
        #expect(try archive.verify().isHealthy)
    }

    @Test("verify reports a version whose object id and row disagree")
    func reportsMismatchedRow() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: "First.", key: "one")
        try fixture.ingest(text: "Second.", key: "two")
        let two = try fixture.archive.version(key: "two")
        try fixture.archive.catalog.pool.write { db in
            try db.execute(sql: """
                UPDATE versions SET raw_row = (SELECT row FROM objects WHERE id = ?)
                WHERE article_id = (SELECT id FROM articles WHERE key = 'one')
                """, arguments: [two.rawObject.hex])
        }
        let report = try fixture.archive.verify()
        #expect(report.catalogProblems.contains { $0.hasPrefix("one v1 names object") && $0.contains(two.rawObject.hex) })
    }
}
