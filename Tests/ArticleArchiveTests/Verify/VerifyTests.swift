import Foundation
import GRDB
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Verify")
struct VerifyTests {
    @Test("a healthy archive verifies")
    func healthy() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest([.path(ArchiveFixture.seedsPath)])
        let report = try fixture.archive.verify()
        #expect(report.isHealthy)
        #expect(report.objectsChecked == 9)  // 5 raw bodies, 4 cleaned texts (one seed needs no cleaning)
        #expect(report.unreferencedObjects == 0 && report.unreferencedPacks == 0)
    }

    @Test("a flipped byte is found and the versions that use the object are named")
    func flippedByte() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: "Raw body.\r\n", key: "story")
        let version = try fixture.archive.version(key: "story")
        try ObjectDamage.flipByte(of: version.rawObject, in: fixture.archive, at: 12)
        let report = try fixture.archive.verify()
        #expect(!report.isHealthy)
        #expect(report.damagedObjects.count == 1)
        #expect(report.damagedObjects.first?.object == version.rawObject)
        #expect(report.damagedObjects.first?.referencedBy == ["story v1 raw"])
        #expect(throws: StoreError.self) { try fixture.archive.text(of: version, raw: true) }
        // The cleaned object is separate and still reads.
        #expect(try fixture.archive.text(of: version) == "Raw body.")
    }

    @Test("a missing object and a catalog row pointing nowhere are both reported")
    func missingAndDangling() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: "One.", key: "one")
        try fixture.ingest(text: "Two.", key: "two")
        let one = try fixture.archive.version(key: "one")
        try ObjectDamage.remove(one.rawObject, in: fixture.archive)
        try fixture.archive.catalog.pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "UPDATE versions SET raw_object = ? WHERE number = 1 AND article_id = 2",
                           arguments: [String(repeating: "0", count: 64)])
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let report = try fixture.archive.verify()
        // "one" was packed with its cleaned text; both went with the pack.
        #expect(Set(report.damagedObjects.map(\.object)) == [one.rawObject, one.cleanedObject])
        #expect(report.damagedObjects.allSatisfy { $0.problem.hasPrefix("missing") })
        #expect(report.catalogProblems.contains { $0.contains(String(repeating: "0", count: 64)) })
    }

    @Test("objects left by an interrupted ingest are counted, not called damage")
    func unreferencedObjects() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: "Kept.", key: "k")
        _ = try fixture.archive.store.write(Array("written, never recorded".utf8))
        let report = try fixture.archive.verify()
        #expect(report.isHealthy)
        #expect(report.unreferencedObjects == 1)
    }
}
