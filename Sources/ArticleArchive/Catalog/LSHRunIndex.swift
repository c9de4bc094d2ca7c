#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB
import Synchronization

/// The LSH buckets of every indexed article, as a log-structured index: sorted runs in the archive's `lsh/` folder,
/// listed oldest first in the catalog's `lsh_runs` table.
///
/// A batch adds one small run; runs of the same size class merge, `fanout` at a time, into one of the next class.
/// Each bucket entry is therefore written a few times in sequential files, where a B-tree keyed by bucket takes
/// one random page write per entry, and rewrites most of its pages on every batch once it outgrows the cache (that
/// was 12 GB written for a 400 MB feed). Runs are immutable; an article leaving a bucket (a new version) is a
/// tombstone in a newer run, dropped when the merge reaches the oldest run.
///
/// The index is read and changed only inside write transactions, so it needs no locking of its own: a run is
/// written and fsynced before the transaction that lists it commits; a run replaced by a merge is listed in
/// `lsh_retired_runs` by that transaction and deleted by the next one. Files no committed transaction lists (an
/// interrupted batch) are deleted too. The index is derived from `fingerprints`: a missing or corrupt run, or an
/// archive from before runs, is rebuilt from there.
final class LSHRunIndex: Sendable {
    /// Runs merged at once, and the ratio between size classes.
    let fanout: Int
    /// Runs smaller than `fanout` times this many entries are of the first size class.
    let baseEntries: Int
    /// Articles per run when rebuilding from fingerprints (bounds the memory a rebuild takes).
    let rebuildArticles: Int

    /// A run listed in the catalog.
    struct ListedRun {
        var id: Int64
        var file: String
        var entries: Int
        var run: LSHRun
    }

    let directory: String
    private let opened = Mutex<[String: LSHRun]>([:])

    /// - Parameters: the defaults suit the ingest. A batch of a thousand articles adds 42,000 entries; with a
    ///   fanout of 2 the runs count in binary, so there are about log2(entries / 65,536) runs, each entry is
    ///   rewritten as often, and a lookup reads one block per run (a fanout of 4 wrote half as much, but read
    ///   twice as many runs per lookup: 66 s against 56 s of similarity index at 100k articles).
    init(directory: String, fanout: Int = 2, baseEntries: Int = 32_768, rebuildArticles: Int = 16_384) {
        precondition(fanout >= 2 && baseEntries >= 1 && rebuildArticles >= 1)
        self.directory = directory
        self.fanout = fanout
        self.baseEntries = baseEntries
        self.rebuildArticles = rebuildArticles
    }

    /// The size class of a run.
    func sizeClass(_ entries: Int) -> Int {
        var sizeClass = 0
        var bound = baseEntries * fanout
        while entries >= bound {
            sizeClass += 1
            bound *= fanout
        }
        return sizeClass
    }

    /// Starts a change of the index inside a write transaction; `LSHIndexUpdate.finish(in:)` must run before it
    /// commits.
    func update(in db: Database) throws -> LSHIndexUpdate {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw StoreError.io(path: directory, operation: "create folder", errno: errno)
        }
        try removeRetired(in: db)
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, file, entries FROM lsh_runs ORDER BY id"))
        try removeFiles(notIn: Set(rows.map { $0[1] as String }))
        var runs: [ListedRun] = []
        do {
            runs = try rows.map { ListedRun(id: $0[0], file: $0[1], entries: $0[2], run: try run(named: $0[1])) }
        } catch is StoreError {
            // A run is missing or unreadable: start over from the fingerprints (below).
            try db.execute(sql: "DELETE FROM lsh_runs")
            try removeFiles(notIn: [])
            runs = []
        }
        let update = LSHIndexUpdate(index: self, runs: runs)
        if runs.isEmpty { try update.rebuild(in: db) }
        return update
    }

    func path(of file: String) -> String { directory + "/" + file }

    func run(named file: String) throws -> LSHRun {
        if let run = opened.withLock({ $0[file] }) { return run }
        let run = try LSHRun(path: path(of: file))
        opened.withLock { $0[file] = run }
        return run
    }

    /// A new, unused run file name.
    func newFileName() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 16) + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            + ".run"
    }

    func syncDirectory() throws {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw StoreError.io(path: directory, operation: "open folder", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StoreError.io(path: directory, operation: "fsync folder", errno: errno) }
    }

    /// Deletes the runs earlier merges replaced (their transactions committed, or they would not be listed).
    func removeRetired(in db: Database) throws {
        let retired = try String.fetchAll(db.cachedStatement(sql: "SELECT file FROM lsh_retired_runs"))
        guard !retired.isEmpty else { return }
        for file in retired { try remove(file) }
        try db.execute(sql: "DELETE FROM lsh_retired_runs")
    }

    private func removeFiles(notIn listed: Set<String>) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where !listed.contains(name) { try remove(name) }
    }

    private func remove(_ file: String) throws {
        _ = opened.withLock { $0.removeValue(forKey: file) }
        guard unlink(path(of: file)) == 0 || errno == ENOENT else {
            throw StoreError.io(path: path(of: file), operation: "delete", errno: errno)
        }
    }
}
