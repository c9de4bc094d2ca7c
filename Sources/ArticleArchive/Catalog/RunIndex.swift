#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB
import Synchronization

/// A log-structured index from 64-bit keys to articles: sorted runs (`SortedRun`) in a folder of the archive,
/// listed oldest first in the catalog table `<name>_runs`. The catalog keeps two: the LSH buckets of indexed
/// articles (`lsh`), and which articles of a site hold each line (`template`).
///
/// A write transaction adds one small run; runs of one size class merge, `fanout` at a time, into one of the next
/// (in an ingest, the large merges in the background: `BackgroundMerge`).
/// Each entry is therefore written a few times, in sequential files, where a B-tree keyed by a hash takes a random
/// page write per entry and rewrites most of its pages on every batch once it outgrows the cache (12 GB written
/// for a 400 MB feed, with the LSH buckets in SQLite). Runs are immutable: an article leaving a key (a new version
/// in other LSH buckets) is a tombstone in a newer run, dropped when a merge reaches the oldest run.
///
/// Runs are written and fsynced before the transaction that lists them commits, so a committed list always names
/// whole files. A run a merge replaced is listed in `<name>_retired_runs` by that transaction, and deleted by a
/// write transaction at least `retiredGrace` later (or by the end of the ingest). The ingest reads template
/// evidence in snapshots taken after the previous batch committed, so they never list a retired run; a reader in
/// another process that finds a run gone goes without it (`reader(in:)`). Files no committed transaction lists
/// (an interrupted batch) are deleted by the next write. Both indexes are derived: a missing or unreadable run
/// makes the writer rebuild the LSH index from `rebuildSource`, or drop that run from the template index (its
/// evidence is relearned as pages arrive).
final class RunIndex: Sendable {
    /// Names the index's tables (`<name>_runs`, `<name>_retired_runs`).
    let name: String
    let directory: String
    /// Runs merged at once, and the ratio between size classes.
    let fanout: Int
    /// Runs smaller than `fanout` times this many entries are of the first size class.
    let baseEntries: Int
    /// Runs of this many entries or more are merged no further: a merge holds the filters of the runs it reads
    /// and of the run it makes, and readers keep the old ones until their batch is done, so the largest merge sets
    /// the ingest's peak memory; and rewriting half the index in one transaction took longest of all.
    let maximumMergedEntries: Int
    /// Articles kept per key (the lowest ids), if bounded: merges drop the rest, readers ignore them.
    let keepPerKey: Int?
    /// Records per run when rebuilding (bounds the memory a rebuild takes).
    let rebuildRecords: Int
    /// Every record the index should hold, when it has to be built (an archive from before run indexes).
    let rebuildSource: @Sendable (Database, (RunRecord) throws -> Void) throws -> Void
    /// Whether a missing or unreadable run makes the index rebuild from `rebuildSource` (else the run is dropped).
    let rebuildsWhenDamaged: Bool
    /// Merges (with those they cascade into) of this many entries or more are made by a `BackgroundMerge` in an
    /// ingest (`RunIndexUpdate`); smaller ones take milliseconds, and are made in the transaction: run in the
    /// background too, the runs they would have merged were looked up meanwhile, and the 100k ingest read 50% more
    /// blocks of its runs.
    let backgroundMergeEntries: Int
    /// `backgroundMergeEntries` unless an index is given another.
    static let defaultBackgroundMergeEntries = 1 << 20
    /// How long a replaced run stays on disk for readers of older snapshots in other processes. Kept short: at
    /// 600 s, replaced runs took five times the live ones on disk at the end of a 100k ingest.
    static let retiredGrace: TimeInterval = 5

    /// A run listed in the catalog.
    struct ListedRun: Sendable {
        var id: Int64
        var file: String
        var entries: Int
        var run: SortedRun
    }

    private let opened = Mutex<[String: SortedRun]>([:])
    /// The merge this process runs outside the write transactions, if any (`RunIndexUpdate`, for the ingest); see
    /// `RunIndex+Merging.swift`.
    let merging = Mutex<BackgroundMerge?>(nil)
    /// Background merges this process listed, and discarded (their runs changed meanwhile).
    let backgroundMerges = Mutex<(listed: Int, discarded: Int)>((0, 0))
    /// Blocks of this index's runs read lately.
    let blocks: RunBlockCache
    /// Blocks kept in memory (1 KiB each), unless an index is given another number.
    static let cachedBlocks = 4096

    /// Answers of an index keeping `keepPerKey` articles per key for keys that have that many: such an answer (the
    /// lowest ids) stays right as new articles, whose ids are higher, arrive. Only an earlier article added under
    /// the key changes it (a new version of an old article holding a new line): the writer then takes the key out
    /// for good (`noteEarlierArticle`). Lines of a site's template are looked up on every page of the site, and
    /// found in every run, so this saves most of the template index's reads.
    private struct SaturatedKeys {
        var answers: [HashKey: [Int64]] = [:]
        /// Keys whose answer an earlier article changed: never cached again by this process.
        var excluded: Set<HashKey> = []
        var disabled = false
    }

    private let saturated = Mutex(SaturatedKeys())
    /// Cached answers kept at most (about 150 bytes each); past that the cache starts again.
    static let saturatedCapacity = 16_384

    /// - Parameters: the defaults suit the ingest. A batch of a thousand articles adds 42,000 LSH entries; with a
    ///   fanout of 2 the runs count in binary, so there are about log2(entries / 65,536) runs, each entry is
    ///   rewritten as often, and a lookup reads one block per run (a fanout of 4 wrote half as much, but read
    ///   twice as many runs per lookup: 66 s against 56 s of similarity index at 100k articles). Runs stop
    ///   merging at 2^23 entries (8 MB of filter): a million articles' LSH buckets are then four such runs and
    ///   the smaller ones. `cachedBlocks` is how many blocks read lately the index keeps (`RunBlockCache`).
    init(
        name: String, directory: String, fanout: Int = 2, baseEntries: Int = 32_768,
        maximumMergedEntries: Int = 1 << 23, backgroundMergeEntries: Int = RunIndex.defaultBackgroundMergeEntries,
        keepPerKey: Int? = nil,
        rebuildRecords: Int = 1 << 20, rebuildsWhenDamaged: Bool = true, cachedBlocks: Int = RunIndex.cachedBlocks,
        rebuildSource: @escaping @Sendable (Database, (RunRecord) throws -> Void) throws -> Void
    ) {
        precondition(fanout >= 2 && baseEntries >= 1 && rebuildRecords >= 1)
        blocks = RunBlockCache(capacity: cachedBlocks)
        self.name = name
        self.directory = directory
        self.fanout = fanout
        self.baseEntries = baseEntries
        self.maximumMergedEntries = maximumMergedEntries
        self.backgroundMergeEntries = backgroundMergeEntries
        self.keepPerKey = keepPerKey
        self.rebuildRecords = rebuildRecords
        self.rebuildSource = rebuildSource
        self.rebuildsWhenDamaged = rebuildsWhenDamaged
    }

    /// The catalog tables of an index called `name`.
    static func schema(name: String) -> String {
        """
        CREATE TABLE \(name)_runs (
            id INTEGER PRIMARY KEY,
            file TEXT NOT NULL UNIQUE,
            entries INTEGER NOT NULL
        );
        CREATE TABLE \(name)_retired_runs (
            file TEXT PRIMARY KEY,
            retired_at REAL NOT NULL
        );
        """
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

    /// The index as `db` (a snapshot, say) lists it. A run that cannot be read is left out: what it held is
    /// missing from the answers until the next write rebuilds the index (or drops the run, see
    /// `rebuildsWhenDamaged`).
    func reader(in db: Database) throws -> RunIndexReader {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, file, entries FROM \(name)_runs ORDER BY id"))
        return RunIndexReader(index: self, runs: rows.compactMap { row in
            (try? run(named: row[1])).map { ListedRun(id: row[0], file: row[1], entries: row[2], run: $0) }
        })
    }

    /// Starts a change of the index inside a write transaction; `RunIndexUpdate.finish(in:)` must run before it
    /// commits.
    /// - Parameter mergingInBackground: whether runs that fill a size class are merged by a `BackgroundMerge`,
    ///   listed by a later transaction (one of an ingest's batches), rather than in this one.
    func update(in db: Database, mergingInBackground: Bool = false) throws -> RunIndexUpdate {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw StoreError.io(path: directory, operation: "create folder", errno: errno)
        }
        try removeUnusedFiles(in: db)
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, file, entries FROM \(name)_runs ORDER BY id"))
        var runs: [ListedRun] = []
        var damaged: [Row] = []
        for row in rows {
            do {
                runs.append(ListedRun(
                    id: row[0], file: row[1], entries: row[2], run: try run(named: row[1], checkingFile: true)))
            } catch is StoreError {
                damaged.append(row)
            }
        }
        var needsRebuild = rows.isEmpty
        if !damaged.isEmpty {
            // Retire the damaged runs (or all, to start over from the source) and list the rest.
            let dropped = rebuildsWhenDamaged ? rows : damaged
            try retire(dropped.map { $0[1] as String }, in: db)
            for row in dropped {
                try db.cachedStatement(sql: "DELETE FROM \(name)_runs WHERE id = ?").execute(arguments: [row[0]])
            }
            runs = rebuildsWhenDamaged ? [] : runs
            needsRebuild = rebuildsWhenDamaged
            forgetSaturatedKeys()
        }
        let update = RunIndexUpdate(index: self, runs: runs, mergingInBackground: mergingInBackground)
        if needsRebuild { try update.rebuild(in: db) }
        return update
    }

    func path(of file: String) -> String { directory + "/" + file }

    // MARK: - Saturated keys

    /// The committed answer for `key`, when it holds `keepPerKey` articles and is cached.
    func saturatedArticles(under key: UInt64) -> [Int64]? {
        guard keepPerKey != nil else { return nil }
        return saturated.withLock { $0.answers[HashKey(key)] }
    }

    /// `saturatedArticles(under:)` of each of `keys`, in order, told to `body` with its position, all under one lock
    /// (the ingest's threads look a page's lines up at once; a lock per line was 0.5% of the 100k ingest's CPU).
    func saturatedArticles(under keys: [UInt64], _ body: (Int, [Int64]?) -> Void) {
        guard keepPerKey != nil else {
            for position in keys.indices { body(position, nil) }
            return
        }
        saturated.withLock { state in
            for (position, key) in keys.enumerated() { body(position, state.answers[HashKey(key)]) }
        }
    }

    /// Caches a committed answer (read in a snapshot), when it is saturated.
    func noteArticles(_ articles: [Int64], under key: UInt64) {
        guard let limit = keepPerKey, articles.count == limit else { return }
        saturated.withLock { state in
            guard !state.disabled, !state.excluded.contains(HashKey(key)) else { return }
            if state.answers.count >= Self.saturatedCapacity { state.answers.removeAll(keepingCapacity: true) }
            state.answers[HashKey(key)] = articles
        }
    }

    /// An article that may be older than some holders of `key` is going under it, changing `current` (the
    /// answer before) if that was saturated and the article comes before its last id, unless it is in it already
    /// (a new version of an old article holding a line its earlier version held: a site's template lines, on every
    /// new version of the site's first articles; excluding those took the cache from every page of the site).
    func noteEarlierArticle(_ article: Int64, under key: UInt64, current: [Int64]) {
        guard let limit = keepPerKey, current.count == limit, let last = current.last, article < last,
              !current.contains(article)
        else { return }
        saturated.withLock { state in
            state.answers[HashKey(key)] = nil
            state.excluded.insert(HashKey(key))
            if state.excluded.count > Self.saturatedCapacity { forgetSaturated(&state) }
        }
    }

    /// Stops caching answers (runs were dropped or rebuilt: cached answers may hold what they held).
    func forgetSaturatedKeys() {
        saturated.withLock { forgetSaturated(&$0) }
    }

    private func forgetSaturated(_ state: inout SaturatedKeys) {
        state.answers = [:]
        state.excluded = []
        state.disabled = true
    }

    /// What is wrong with the runs `db` lists: a file missing, cut short, out of order, or holding another count
    /// of records than listed. Reads every run whole.
    func problems(in db: Database) throws -> [String] {
        var problems: [String] = []
        for row in try Row.fetchAll(db, sql: "SELECT file, entries FROM \(name)_runs ORDER BY id") {
            let file: String = row[0]
            let entries: Int = row[1]
            do {
                let run = try SortedRun(path: path(of: file))
                var cursor = SortedRun.Cursor(run)
                var previous: RunRecord?
                var count = 0
                while let record = try cursor.peek() {
                    if let previous, !RunRecord.precedes(previous, record) {
                        throw StoreError.corruptIndex(path: run.path, reason: "record \(count) is out of order")
                    }
                    previous = record
                    count += 1
                    cursor.advance()
                }
                if count != entries {
                    problems.append("index run \(path(of: file)) holds \(count) records, the catalog says \(entries)")
                }
            } catch let error as StoreError {
                problems.append("\(error) (" + (rebuildsWhenDamaged
                    ? "derived data: with the file removed, the next ingest rebuilds the \(name) index)"
                    : "derived data: with the file removed, the next ingest drops it; its evidence is relearned)"))
            }
        }
        return problems
    }

    /// The run of a file, opened once per process, with its Bloom filter in memory.
    /// - Parameters:
    ///   - checkingFile: reopen the file if it is not the one opened (replaced, cut short, removed).
    ///   - loadingFilter: false for a run no key is looked up in yet (one a merge just made, whose filter would
    ///     otherwise be in memory beside those of the runs it replaces, which readers hold until their batch is
    ///     done); the next call for it loads the filter.
    func run(named file: String, checkingFile: Bool = false, loadingFilter: Bool = true) throws -> SortedRun {
        // Under the lock: a run's filter is loaded once, before anyone looks keys up in it.
        try opened.withLock { opened in
            if let run = opened[file] {
                if !checkingFile || run.isStillTheFile {
                    if loadingFilter { try run.loadFilter() }
                    return run
                }
                opened[file] = nil
            }
            let run = try SortedRun(path: path(of: file), cache: blocks, loadingFilter: loadingFilter)
            opened[file] = run
            return run
        }
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

    /// Lists runs as replaced: deleted once no reader can still be using them.
    func retire(_ files: [String], at date: Date = Date(), in db: Database) throws {
        for file in files {
            // Readers using the run hold it; this process opens it no more (its filter is the memory of the run).
            _ = opened.withLock { $0.removeValue(forKey: file) }
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO \(name)_retired_runs (file, retired_at) VALUES (?, ?)")
                .execute(arguments: [file, date.timeIntervalSince1970])
        }
    }

    /// Deletes the runs retired before `cutoff`.
    private func removeRetired(before cutoff: Date, in db: Database) throws {
        let retired = try String.fetchAll(
            db.cachedStatement(sql: "SELECT file FROM \(name)_retired_runs WHERE retired_at < ?"),
            arguments: [cutoff.timeIntervalSince1970])
        guard !retired.isEmpty else { return }
        for file in retired { try remove(file) }
        try db.cachedStatement(sql: "DELETE FROM \(name)_retired_runs WHERE retired_at < ?")
            .execute(arguments: [cutoff.timeIntervalSince1970])
    }

    /// Deletes the runs retired before `cutoff`, and files no committed transaction lists (left by interrupted
    /// writes). Call it in a write transaction: no other writer can be making a run meanwhile.
    /// - Returns: the files deleted.
    @discardableResult
    func removeUnusedFiles(
        retiredBefore cutoff: Date = Date().addingTimeInterval(-RunIndex.retiredGrace), in db: Database
    ) throws -> Int {
        let retired = try String.fetchAll(db.cachedStatement(sql: "SELECT file FROM \(name)_retired_runs"))
        try removeRetired(before: cutoff, in: db)
        let kept = Set(try String.fetchAll(db.cachedStatement(sql: "SELECT file FROM \(name)_retired_runs")))
        let listed = Set(try String.fetchAll(db.cachedStatement(sql: "SELECT file FROM \(name)_runs")))
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let merging = filesBeingMerged
        let unlisted = names.filter { !listed.contains($0) && !kept.contains($0) && !merging.contains($0) }
        for name in unlisted { try remove(name) }
        return retired.count - kept.count + unlisted.count
    }

    /// Deletes a run's file, and forgets the run.
    func remove(_ file: String) throws {
        _ = opened.withLock { $0.removeValue(forKey: file) }
        guard unlink(path(of: file)) == 0 || errno == ENOENT else {
            throw StoreError.io(path: path(of: file), operation: "delete", errno: errno)
        }
    }
}
