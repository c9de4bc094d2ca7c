import Foundation
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Repair and garbage collection")
struct RepairTests {
    private let body = "Officials said on Monday that the new bridge would open next spring after two years of work.\n"
        + "The project cost more than planned, but the council approved the extra money last week.\nShare:"

    @Test("verify --repair rewrites a damaged cleaned object from the raw body, exactly")
    func repairsCleanedObject() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: body, key: "bridge")
        let version = try fixture.archive.version(key: "bridge")
        #expect(version.rawObject != version.cleanedObject)
        try ObjectDamage.flipByte(of: version.cleanedObject, in: fixture.archive, at: 15)
        let report = try fixture.archive.verify(repair: true)
        #expect(report.damagedObjects.map(\.object) == [version.cleanedObject])
        #expect(report.repaired.count == 1 && report.unrepairable.isEmpty)
        #expect(try fixture.archive.verify().isHealthy)
        #expect(try fixture.archive.text(of: version).hasPrefix("Officials said"))
    }

    @Test("a damaged raw body is reported as beyond repair")
    func rawBodyCannotBeRepaired() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: body, key: "bridge")
        let version = try fixture.archive.version(key: "bridge")
        try ObjectDamage.remove(version.rawObject, in: fixture.archive)
        let report = try fixture.archive.verify(repair: true)
        #expect(report.unrepairable.count == 1)
        #expect(report.unrepairable[0].contains("raw body"))
        #expect(!(try fixture.archive.verify().isHealthy))
    }

    @Test("gc removes only unreferenced objects past the grace period, and the archive stays whole")
    func collectsOrphans() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: body, key: "bridge")
        let orphan = try fixture.archive.store.write(Array("left by an interrupted ingest".utf8))
        let young = try fixture.archive.collectGarbage(grace: 3600)
        #expect(young.objects == 0 && young.keptYoung == 1)
        #expect(fixture.archive.store.contains(orphan.id))
        let old = try fixture.archive.collectGarbage(grace: 0)
        #expect(old.objects == 1)
        #expect(!fixture.archive.store.contains(orphan.id))
        let report = try fixture.archive.verify()
        #expect(report.isHealthy && report.unreferencedObjects == 0)
        #expect(try fixture.archive.text(of: try fixture.archive.version(key: "bridge"), raw: true) == body)
    }

    @Test("an ingest never relies on an unlisted object: gc removing an orphan copy mid-ingest loses nothing")
    func collectedWhileIngesting() throws {
        let fixture = try ArchiveFixture()
        // The body is stored, then its only reference is never committed: an orphan.
        let orphan = try fixture.archive.store.write(Array(body.utf8))
        let path = try fixture.folder.write("in/bridge.txt", body)
        var problems: [InputProblem] = []
        var ingest = Ingestor(store: fixture.archive.store, catalog: fixture.archive.catalog,
                              cleaner: fixture.archive.cleaner, options: IngestOptions(key: "bridge"),
                              logger: fixture.archive.logger)
        let store = fixture.archive.store
        ingest.beforeEachCommit = {
            // A concurrent gc removes the orphan just before the batch commits.
            #expect(store.contains(orphan.id))
            try FileManager.default.removeItem(atPath: store.path(of: orphan.id))
        }
        let report = try ingest.run([.path(path)]) { problems.append($0) }
        #expect(report.objectsWritten == 2)  // the raw body is packed again, not taken from the orphan file
        #expect(problems.isEmpty)
        #expect(try fixture.archive.verify().isHealthy)
        #expect(fixture.archive.store.contains(orphan.id))
        #expect(try fixture.archive.text(of: try fixture.archive.version(key: "bridge"), raw: true) == body)
    }

    @Test("a pack whose batch never committed is removed by gc after the grace period, and verify counts it")
    func collectsUncommittedPacks() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: body, key: "bridge")
        let orphans = try fixture.archive.store.writePack([PackedObject(body: Array("never committed".utf8))])
        #expect(try fixture.archive.verify().unreferencedPacks == 1)
        let young = try fixture.archive.collectGarbage(grace: 3600)
        #expect(young.packs == 0 && young.keptYoung == 1)
        let old = try fixture.archive.collectGarbage(grace: 0)
        #expect(old.packs == 1)
        #expect(!fixture.archive.store.packExists(orphans.values.first!.pack))
        let report = try fixture.archive.verify()
        #expect(report.isHealthy && report.unreferencedPacks == 0)
        #expect(try fixture.archive.text(of: try fixture.archive.version(key: "bridge"), raw: true) == body)
    }
}
