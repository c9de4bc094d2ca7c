import Foundation
import Synchronization
import GRDB
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Catalog set-up lock")
struct CatalogSetUpLockTests {
    @Test("a second holder waits until the first lets go")
    func excludesASecondHolder() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("catalog.lock")
        var first: CatalogSetUpLock? = try CatalogSetUpLock(path: path)
        let acquired = Atomic<Bool>(false)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            // A lock of its own open file: flock excludes it from the first even within one process.
            let second = try? CatalogSetUpLock(path: path)
            acquired.store(second != nil, ordering: .sequentiallyConsistent)
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 0.3) == .timedOut)
        let acquiredEarly = acquired.load(ordering: .sequentiallyConsistent)
        #expect(!acquiredEarly)
        withExtendedLifetime(first) {}
        first = nil
        #expect(done.wait(timeout: .now() + 10) == .success)
        let acquiredLater = acquired.load(ordering: .sequentiallyConsistent)
        #expect(acquiredLater)
    }

    @Test("a catalog counts as set up only once it exists in WAL mode")
    func recognisesWALDatabases() throws {
        let folder = try TemporaryDirectory()
        #expect(!CatalogSetUpLock.isWALDatabase(at: folder.path("missing.sqlite")))
        #expect(!CatalogSetUpLock.isWALDatabase(at: try folder.write("short.sqlite", "SQLite format 3")))
        let fixture = try ArchiveFixture()
        let catalog = fixture.archive.catalog
        #expect(CatalogSetUpLock.isWALDatabase(at: catalog.pool.path))
        let rollback = folder.path("rollback.sqlite")
        let queue = try GRDB.DatabaseQueue(path: rollback)
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER)") }
        #expect(!CatalogSetUpLock.isWALDatabase(at: rollback))
    }
}
