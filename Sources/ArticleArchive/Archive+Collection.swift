#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What `gc` removed, or would remove.
public struct CollectionReport: Codable, Sendable, Equatable {
    /// Object files no version or cleaning refers to, past the grace period.
    public var objects = 0
    /// Their bytes on disk.
    public var bytes = 0
    /// Unreferenced objects kept because they were used within the grace period.
    public var keptYoung = 0
    /// Temporary files abandoned by interrupted writes.
    public var temporaryFiles = 0
}

extension Archive {
    /// Removes objects no version or cleaning refers to (left by interrupted ingests), and abandoned temporary
    /// files, once they are older than `grace`.
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
            var removed: [String] = []
            for id in store.allObjectIDs() where !referenced.contains(id.hex) {
                guard let used = store.lastUsed(id), used < cutoff else {
                    report.keptYoung += 1
                    continue
                }
                report.objects += 1
                report.bytes += store.storedSize(of: id) ?? 0
                if !dryRun {
                    try store.remove(id)
                    removed.append(id.hex)
                }
            }
            if !removed.isEmpty {
                try store.syncDirectories(Set(removed.map { String($0.prefix(2)) }))
                try catalog.deleteObjectRows(removed, in: db)
            }
            for file in store.abandonedTemporaryFiles(olderThan: cutoff) {
                report.temporaryFiles += 1
                if !dryRun { unlink(file) }
            }
            return report
        }
    }
}
