import Foundation
import GRDB
import Synchronization
import Testing
@testable import ArticleArchive

@Suite("Snapshot pool")
struct SnapshotPoolTests {
    @Test("a snapshot is lent to one thread at a time, more threads than snapshots wait, all see one state")
    func lendsEachSnapshotOnce() throws {
        let fixture = try ArchiveFixture()
        let catalog = fixture.archive.catalog
        try catalog.pool.write { db in try db.execute(sql: "CREATE TABLE marks (n INTEGER)") }
        let pool = SnapshotPool(try (0..<2).map { _ in try catalog.pool.makeSnapshot() })
        // Committed after the snapshots were taken: no read in the pool sees it.
        try catalog.pool.write { db in try db.execute(sql: "INSERT INTO marks VALUES (1)") }
        let lent = Mutex<Set<ObjectIdentifier>>([])
        let mostLent = Mutex(0)
        let sharedOrLate = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 32) { _ in
            try? pool.read { db in
                let id = ObjectIdentifier(db)
                lent.withLock { inUse in
                    if !inUse.insert(id).inserted { sharedOrLate.add(1, ordering: .relaxed) }
                    let count = inUse.count
                    mostLent.withLock { $0 = max($0, count) }
                }
                if try Int.fetchOne(db, sql: "SELECT count(*) FROM marks") != 0 { sharedOrLate.add(1, ordering: .relaxed) }
                usleep(500)
                lent.withLock { _ = $0.remove(id) }
            }
        }
        #expect(sharedOrLate.load(ordering: .relaxed) == 0)
        #expect(mostLent.withLock { $0 } <= 2)
    }
}
