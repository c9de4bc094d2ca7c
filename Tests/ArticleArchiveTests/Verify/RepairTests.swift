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
        try ObjectDamage.flipByte(in: fixture.archive.store.path(of: version.cleanedObject), at: 15)
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
        try FileManager.default.removeItem(atPath: fixture.archive.store.path(of: version.rawObject))
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

    @Test("an object collected between an ingest finding it and committing is written again")
    func collectedWhileIngesting() throws {
        let fixture = try ArchiveFixture()
        // The body is stored, then its only reference is never committed: an orphan.
        let orphan = try fixture.archive.store.write(Array(body.utf8))
        // A concurrent gc removes it just after an ingest decided it was already stored.
        let path = try fixture.folder.write("in/bridge.txt", body)
        var problems: [InputProblem] = []
        var ingest = Ingestor(store: fixture.archive.store, catalog: fixture.archive.catalog,
                              cleaner: fixture.archive.cleaner, options: IngestOptions(key: "bridge"),
                              logger: fixture.archive.logger)
        let store = fixture.archive.store
        ingest.beforeEachCommit = {
            // The race: the file goes after the ingest found it stored, before the batch commits.
            #expect(store.contains(orphan.id))
            try FileManager.default.removeItem(atPath: store.path(of: orphan.id))
        }
        let report = try ingest.run([.path(path)]) { problems.append($0) }
        #expect(report.objectsWritten == 1)  // the cleaned text only: the raw body was found stored
        #expect(problems.isEmpty)
        #expect(try fixture.archive.verify().isHealthy)
        #expect(fixture.archive.store.contains(orphan.id))
    }
}
