#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What `gc` removed, or would remove.
public struct CollectionReport: Codable, Sendable, Equatable {
    /// Loose object files no version or cleaning refers to, past the grace period.
    public var objects = 0
    /// Packs no catalog row refers to (written by an ingest that never committed), past the grace period.
    public var packs = 0
    /// The bytes on disk of those objects and packs.
    public var bytes = 0
    /// Unreferenced objects kept because they were used within the grace period.
    public var keptYoung = 0
    /// Temporary files abandoned by interrupted writes.
    public var temporaryFiles = 0
}

extension Archive {
    /// Removes loose objects no version or cleaning refers to and packs no catalog row refers to (both left by
    /// interrupted ingests), and abandoned temporary files, once they are older than `grace`.
    ///
    /// Packed objects are not removed one by one: every object the catalog lists is referenced, and a pack holds
    /// only objects of one ingest batch, which is committed whole or not at all.
    ///
    /// It holds the catalog's write lock while it works, and an ingest checks, under the same lock, that every
    /// object it found already stored still exists before it commits (writing it again if not); with the grace
    /// period (an ingest marks an object used when it finds it already stored), an object a running ingest is
    /// about to refer to is never lost.
    /// - Parameters:
    ///   - grace: how long an unreferenced object is kept after it was last written or used.
    ///   - dryRun: count only.
    public func collectGarbage(grace: TimeInterval = 3600, dryRun: Bool = false) throws -> CollectionReport {
        let cutoff = Date().addingTimeInterval(-grace)
        return try catalog.withWriteLock { db in
            var report = CollectionReport()
            let referenced = try catalog.referencedObjects(in: db)
            var removed: [ObjectID] = []
            for id in store.allObjectIDs() where !referenced.contains(id.hex) {
                guard let used = store.lastUsed(id), used < cutoff else {
                    report.keptYoung += 1
                    continue
                }
                report.objects += 1
                report.bytes += store.storedSize(of: id) ?? 0
                if !dryRun {
                    try store.remove(id)
                    removed.append(id)
                }
            }
            if !removed.isEmpty {
                try store.syncDirectories(Set(removed.map(\.directoryName)))
                try catalog.deleteObjectRows(removed, in: db)
            }
            let referencedPacks = try catalog.referencedPacks(in: db)
            let packs = store.packs()
            for pack in packs.indexed where !referencedPacks.contains(pack) {
                guard let files = store.packFiles(pack), files.written < cutoff else {
                    report.keptYoung += 1
                    continue
                }
                report.packs += 1
                report.bytes += files.bytes
                if !dryRun { try store.removePack(pack) }
            }
            for pack in packs.unindexed {
                guard let files = store.packFiles(pack), files.written < cutoff else { continue }
                report.temporaryFiles += 1
                if !dryRun { try store.removePack(pack) }
            }
            for file in store.abandonedTemporaryFiles(olderThan: cutoff) {
                report.temporaryFiles += 1
                if !dryRun { unlink(file) }
            }
            if !dryRun {
                // Index runs replaced by merges, and runs of interrupted batches (see `RunIndex`).
                for index in [catalog.lshIndex, catalog.templateIndex, catalog.objectIndex] {
                    report.temporaryFiles += try index.removeUnusedFiles(retiredBefore: .distantFuture, in: db)
                }
            }
            return report
        }
    }
}
