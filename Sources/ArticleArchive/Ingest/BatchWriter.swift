import Foundation
import GRDB

/// What writing one batch did.
struct BatchResult: Sendable {
    var recorded = RecordedBatch()
    /// What the ingest indexed since the next batch's snapshot, for writing the next batch.
    var recent: RecentIndexing
    var objectsWritten = 0
    var storedBytes = 0
    var seconds = 0.0
    var packSeconds = 0.0
}

/// The one writer of an ingest: packs a batch's new objects into one pack file, made durable with one fsync, and
/// then records the batch in one catalog transaction, so a committed capture always has its objects on disk.
struct BatchWriter: Sendable {
    let store: ObjectStore
    let catalog: Catalog
    let run: Int64
    /// Runs before each batch is recorded; tests use it to interleave a `gc` with an ingest.
    let beforeEachCommit: @Sendable () throws -> Void

    /// - Parameter recent: what the ingest indexed since the snapshot `batch` was prepared in.
    func write(_ batch: consuming PreparedBatch, recent: RecentIndexing) throws -> BatchResult {
        var result = BatchResult(recent: recent)
        var seconds = 0.0
        // Taken out of the batch, so they are changed in place (given a batch no one else holds) and not copied.
        var captures: [PreparedCapture] = []
        swap(&captures, &batch.captures)
        var newObjects: [PackedObject] = []
        swap(&newObjects, &batch.newObjects)
        try measuring(into: &seconds) {
            try write(&captures, &newObjects, listed: batch.listedObjects, into: &result)
        }
        result.seconds = seconds
        return result
    }

    private func write(
        _ captures: inout [PreparedCapture], _ newObjects: inout [PackedObject],
        listed: [(id: ObjectID, body: [UInt8])], into result: inout BatchResult
    ) throws {
        var listed = listed
        // Objects an earlier batch stored after this one's snapshot was taken are not packed twice: the previous
        // batch's, which the writer knows, unless another process committed meanwhile and the catalog is asked.
        var toPack: [PackedObject] = []
        toPack.reserveCapacity(newObjects.count)
        if result.recent.nobodyElseCommitted(dataVersion: try catalog.writerDataVersion()) {
            for object in newObjects {
                if result.recent.wasStoredSinceSnapshot(object.id) {
                    listed.append((object.id, object.body))
                } else {
                    toPack.append(object)
                }
            }
        } else {
            try catalog.pool.read { db in
                for object in newObjects {
                    if try catalog.isListed(object.id, in: db) {
                        listed.append((object.id, object.body))
                    } else {
                        toPack.append(object)
                    }
                }
            }
        }
        newObjects = []
        let locations = try measuring(into: &result.packSeconds) { try store.writePack(toPack) }
        result.objectsWritten = locations.count
        result.storedBytes = locations.values.reduce(0) { $0 + $1.length }
        func stored(_ object: ObjectStore.StoredObject) -> ObjectStore.StoredObject {
            guard let location = locations[object.id] else { return object }
            return .init(id: object.id, size: object.size, storedSize: location.length, created: true, location: location)
        }
        for index in captures.indices {
            captures[index].raw = stored(captures[index].raw)
            captures[index].cleaned = stored(captures[index].cleaned)
        }
        try beforeEachCommit()
        result.recent.noteStored(locations.keys)
        result.recorded = try catalog.record(&captures, run: run, at: Date(), recent: &result.recent) {
            db, othersCommitted in
            // Every object the catalog lists is referenced, and `gc` never removes those; this check, under the
            // write lock, keeps a capture from ever pointing at an object that is not there whatever happens.
            if let pack = locations.values.first?.pack, !store.packExists(pack) {
                // Only a `gc` with a grace period shorter than this batch's wait for the lock can get here.
                _ = try store.writePack(toPack)
            }
            // With nobody else committing since the snapshot, what it listed is listed still (only `gc` delists).
            guard othersCommitted else { return }
            var restored = Set<String>()
            for (id, body) in listed where try !catalog.isListed(id, in: db) && !store.contains(id) {
                restored.insert(try store.write(body).id.directoryName)
            }
            try store.syncDirectories(restored)
        }
        // Copy what the readers' snapshots allow of the log into the database now, on this thread, while the next
        // batch is prepared: the checkpoint the ingest makes between batches (readers closed, so the log can start
        // over) then has only this batch's pages left to copy.
        try catalog.checkpoint()
    }
}
