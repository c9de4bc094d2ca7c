import CSQLiteConfig
import Foundation
import GRDB
import Synchronization

/// The SQLite catalog (WAL mode) of articles, versions, cleanings, captures and objects.
///
/// Writes happen in `IMMEDIATE` transactions, so several processes can ingest into one archive at once:
/// each waits its turn (up to `busyTimeout`) instead of failing with "database is locked".
final class Catalog: Sendable {
    static let fileName = "catalog.sqlite"
    static let busyTimeout: TimeInterval = 120
    /// The file a process opening the catalog locks while it sets the catalog up (see `CatalogSetUpLock`).
    static let setUpLockName = "catalog.lock"

    let pool: DatabasePool
    /// The archive's objects, read (loose or at the locations this catalog records) to verify candidate pairs.
    let objects: ObjectStore
    /// Shingle sets of recently indexed articles, for verifying candidate pairs without reading their texts.
    let shingleCache = ShingleCache(capacity: SimilarityIndexing.cachedShingleSets)
    /// The LSH buckets of indexed articles, in sorted runs in the archive's `lsh` folder.
    let lshIndex: RunIndex
    /// Which articles of each source hold each line (at most `TemplateLearning.maximumArticles` per line), in
    /// sorted runs in the archive's `templates` folder.
    let templateIndex: RunIndex
    /// The `objects` row of each object id (under the id's first 64 bits; the entries stand where the other
    /// indexes have articles), in sorted runs in the archive's `object-ids` folder.
    let objectIndex: RunIndex
    /// The ids of sources read so far: a `sources` row, once committed, is never changed or deleted, so an id any
    /// snapshot found holds for all later ones.
    let knownSourceIDs = Mutex<[String: Int64]>([:])

    /// Whether SQLite's memory statistics were turned off before its first connection: every allocation of every
    /// connection updated them under one mutex, which an ingest's threads (its snapshots and its writer) waited for:
    /// 241 of the 1,845 times a thread of the 10k ingest slept, 0 with them off (the wall time on two cores did not
    /// move measurably here; more cores wait more). Nothing here reads them.
    static let memoryStatisticsOff: Bool = csqlite_disable_memory_statistics() == SQLITE_OK

    /// Opens (creating and migrating if needed) the catalog at `path`, for the objects in `objects`.
    /// - Parameter backgroundMergeEntries: the indexes' `RunIndex.backgroundMergeEntries` (tests make it small).
    init(
        path: String, objects: ObjectStore, backgroundMergeEntries: Int = RunIndex.defaultBackgroundMergeEntries
    ) throws {
        _ = Self.memoryStatisticsOff
        self.objects = objects
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        lshIndex = RunIndex(
            name: "lsh", directory: folder.appendingPathComponent("lsh").path,
            backgroundMergeEntries: backgroundMergeEntries, rebuildSource: Self.everyLSHBucket)
        templateIndex = RunIndex(
            name: "template", directory: folder.appendingPathComponent("templates").path,
            backgroundMergeEntries: backgroundMergeEntries, keepPerKey: TemplateLearning.maximumArticles,
            rebuildsWhenDamaged: false, rebuildSource: Self.legacyTemplateLines)
        // An object is looked up by a hash no other lookup shares, and found in a block only when it is stored
        // already (a re-fetch, a republication of the same text): a quarter of the other indexes' cache does as well,
        // and is 3 MB less that fills as the archive grows.
        objectIndex = RunIndex(
            name: "object", directory: folder.appendingPathComponent("object-ids").path,
            backgroundMergeEntries: backgroundMergeEntries, cachedBlocks: RunIndex.cachedBlocks / 4,
            rebuildSource: Self.everyObjectRow)
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "catalog"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Statement journals (kept by statements that change many rows, such as one inserting every LSH band
            // at once) and sorting scratch stay in memory instead of temporary files: they are small, and a write
            // to a file per statement costs more than the statement.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // The writer looks up every arrival's article, objects and fingerprint: 16 MiB of page cache for it. A
            // reader, most often an ingest's snapshot that lives for one batch and reads pages scattered over the
            // catalog, gets 1 MiB (SQLite's default of 2 MiB only filled up as the archive grew; paired CPU 0.99).
            // Fixed bounds, whatever the size of the archive.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -16384")
            } else {
                try db.execute(sql: "PRAGMA cache_size = -1024")
            }
        }
        pool = try Self.openAndMigrate(
            path: path, configuration: configuration,
            lockPath: folder.appendingPathComponent(Self.setUpLockName).path)
    }

    /// Opens the catalog, setting it up (WAL mode, migrations) under `CatalogSetUpLock` when it needs it.
    private static func openAndMigrate(
        path: String, configuration: Configuration, lockPath: String
    ) throws -> DatabasePool {
        var lock = CatalogSetUpLock.isWALDatabase(at: path) ? nil : try CatalogSetUpLock(path: lockPath)
        let pool = try DatabasePool(path: path, configuration: configuration)
        if try !pool.read({ try CatalogSchema.migrator.hasCompletedMigrations($0) }) {
            if lock == nil { lock = try CatalogSetUpLock(path: lockPath) }
            try CatalogSchema.migrator.migrate(pool)
        }
        withExtendedLifetime(lock) {}
        return pool
    }

    // MARK: - Writing

    /// Copies the write-ahead log into the database as far as open readers allow, without waiting for them.
    /// When another process holds the log (it is checkpointing or writing), this one is skipped: it only keeps
    /// the log small, and a later one, or that process's, does the work.
    func checkpoint() throws {
        do {
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return
        }
    }

    /// Inserts an ingest run and returns its id.
    func beginRun(arguments: [String], at date: Date) throws -> Int64 {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO ingest_runs (started_at, tool_version, arguments) VALUES (?, ?, ?)",
                arguments: [date.timeIntervalSince1970, ArticleArchiveVersion.string,
                            String(decoding: try JSONEncoder().encode(arguments), as: UTF8.self)])
            return db.lastInsertedRowID
        }
    }

    /// Marks an ingest run finished, lists the merges of index runs its batches left running (merging what else
    /// fills a size class), and deletes the index runs its merges replaced.
    func finishRun(_ run: Int64, at date: Date) throws {
        try pool.write { db in
            for index in [lshIndex, templateIndex, objectIndex] where index.isMerging {
                try index.update(in: db).finishMerging(in: db)
            }
            try lshIndex.removeUnusedFiles(retiredBefore: .distantFuture, in: db)
            try templateIndex.removeUnusedFiles(retiredBefore: .distantFuture, in: db)
            try objectIndex.removeUnusedFiles(retiredBefore: .distantFuture, in: db)
            try db.execute(
                sql: "UPDATE ingest_runs SET finished_at = ? WHERE id = ?",
                arguments: [date.timeIntervalSince1970, run])
        }
    }

    /// Records a batch of arrivals in one transaction: all of them or, on error, none.
    /// - Parameter batch: lent, not changed: each capture is taken out while it is recorded and put back.
    /// - Parameter beforeRecording: runs inside the transaction, holding the write lock, before any row is
    ///   written (the ingest checks there that objects it found already stored were not collected meanwhile), told
    ///   whether another connection committed since the batch's snapshot.
    /// - Parameter recent: what the ingest indexed since the snapshot the batch was prepared in; updated when the
    ///   batch commits.
    /// - Returns: the outcome of each arrival, in order, and the time spent in the similarity index.
    func record(
        _ batch: inout [PreparedCapture], run: Int64, at date: Date, recent: inout RecentIndexing,
        beforeRecording: (Database, _ othersCommitted: Bool) throws -> Void = { _, _ in }
    ) throws -> RecordedBatch {
        var indexing = recent
        let recorded = try pool.writeWithoutTransaction { db in
            var recorded = RecordedBatch()
            try db.inTransaction(.immediate) {
                let usePrepared = indexing.startBatch(dataVersion: try dataVersion(db))
                try beforeRecording(db, !usePrepared)
                let lsh = try lshIndex.update(in: db, mergingInBackground: true)
                let templates = try templateIndex.update(in: db, mergingInBackground: true)
                let objectUpdate = try objectIndex.update(in: db, mergingInBackground: true)
                var packs: [String: Int64] = [:]
                for pack in Set(batch.flatMap { [$0.raw.location?.pack, $0.cleaned.location?.pack] }.compactMap { $0 }) {
                    packs[pack] = try packID(pack, in: db)
                }
                let names = RowIDCache()
                // Each capture is moved out of the array for its call and back after it: an element passed as it
                // is gets copied first (a retain and release of each of its strings and arrays), since the call
                // could, for all the compiler knows, change the array under it.
                try batch.withUnsafeMutableBufferPointer { captures in
                    for slot in captures.indices {
                        let capture = (captures.baseAddress! + slot).move()
                        defer { (captures.baseAddress! + slot).initialize(to: capture) }
                        recorded.outcomes.append(try record(
                            capture, run: run, at: date.timeIntervalSince1970, packs: packs, lsh: lsh,
                            templates: templates, objects: objectUpdate, usePrepared: usePrepared, recent: &indexing,
                            names: names, recorded: &recorded, in: db))
                    }
                }
                try measuring(into: &recorded.similaritySeconds) { try lsh.finish(in: db) }
                try measuring(into: &recorded.templateSeconds) { try templates.finish(in: db) }
                try objectUpdate.finish(in: db)
                return .commit
            }
            return recorded
        }
        indexing.finishBatch()
        recent = indexing
        return recorded
    }

    /// The connection's `PRAGMA data_version`: it changes when another connection commits.
    func dataVersion(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
    }

    /// The writer's `data_version` now, before an ingest takes its first snapshots.
    func writerDataVersion() throws -> Int64 {
        try pool.writeWithoutTransaction { try dataVersion($0) }
    }

    private func record(
        _ capture: borrowing PreparedCapture, run: Int64, at time: Double, packs: [String: Int64], lsh: RunIndexUpdate,
        templates: RunIndexUpdate, objects: RunIndexUpdate, usePrepared: Bool, recent: inout RecentIndexing,
        names: RowIDCache, recorded: inout RecordedBatch, in db: Database
    ) throws -> CaptureOutcome {
        let declared = capture.declared
        let existing = try db.cachedStatement(sql: """
            SELECT a.id, v.id, v.number, v.raw_object
            FROM articles a JOIN versions v ON v.article_id = a.id
            WHERE a.key = ? ORDER BY v.number DESC LIMIT 1
            """).firstRow({ $0.bind(capture.key) }) { row in
                (article: row.int64(0), version: row.int64(1), number: row.int64(2), raw: row.string(3))
            }
        /// The `objects` rows of the capture's objects, inserted if they have none.
        func objectRows() throws -> (raw: Int64, cleaned: Int64) {
            let raw = try insertObject(
                capture.raw, at: time, packID: capture.raw.location.flatMap { packs[$0.pack] }, index: objects, in: db)
            let cleaned = try insertObject(
                capture.cleaned, at: time, packID: capture.cleaned.location.flatMap { packs[$0.pack] },
                index: objects, in: db)
            return (raw, cleaned)
        }

        let outcome: CaptureOutcome
        let articleID: Int64
        let versionID: Int64
        if let existing {
            articleID = existing.article
            if existing.raw.flatMap(ObjectID.init(hex:)) == capture.raw.id {
                outcome = .unchanged
                // No row of an unchanged re-fetch refers to its objects, and they are listed already when this
                // batch did not write them and nobody else committed since its snapshot (only another connection,
                // `gc`, delists an object): then they need not be looked up (two index lookups and two queries).
                if !usePrepared || capture.raw.created || capture.cleaned.created { _ = try objectRows() }
                versionID = existing.version
            } else {
                outcome = .newVersion
                versionID = try insertVersion(
                    of: articleID, number: Int(existing.number) + 1, capture: capture, rows: try objectRows(), at: time,
                    names: names, in: db)
            }
            try db.cachedStatement(sql: """
                UPDATE articles SET url = coalesce(?, url), source = coalesce(?, source),
                    title = coalesce(?, ?, title), last_seen_at = max(last_seen_at, ?)
                WHERE id = ?
                """).run {
                    $0.bind(declared.url)
                    $0.bind(capture.source)
                    $0.bind(declared.title)
                    $0.bind(capture.cleanedTitle)
                    $0.bind(time)
                    $0.bind(articleID)
                }
        } else {
            outcome = .newArticle
            try db.cachedStatement(sql: """
                INSERT INTO articles (key, url, source, title, first_seen_at, last_seen_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """).run {
                    $0.bind(capture.key)
                    $0.bind(declared.url)
                    $0.bind(capture.source)
                    $0.bind(declared.title ?? capture.cleanedTitle)
                    $0.bind(time)
                    $0.bind(time)
                }
            articleID = db.lastInsertedRowID
            versionID = try insertVersion(
                of: articleID, number: 1, capture: capture, rows: try objectRows(), at: time, names: names, in: db)
        }
        if outcome != .unchanged {
            if let source = capture.source {
                try measuring(into: &recorded.templateSeconds) {
                    try learnTemplate(
                        source: source, articleID: articleID, isNewArticle: outcome == .newArticle,
                        lineHashes: capture.templateLines, into: templates, names: names, in: db)
                }
            }
            try measuring(into: &recorded.similaritySeconds) {
                try index(
                    capture.fingerprint.made(readingFrom: self.objects), article: articleID, version: versionID,
                    isNew: outcome == .newArticle, cleanedObject: capture.cleaned.id, lsh: lsh,
                    prepared: usePrepared ? capture.neighbours : nil, recent: &recent, in: db)
            }
            recorded.indexedArticles += 1
        }
        try db.cachedStatement(sql: """
            INSERT INTO captures (run_id, article_id, version_id, outcome, captured_at, input_kind, input_path,
                input_line, input_sha256, body_size, url, source, title, fetched_at, published_at, extra)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run {
                $0.bind(run)
                $0.bind(articleID)
                $0.bind(versionID)
                $0.bind(outcome.rawValue)
                $0.bind(time)
                $0.bind(capture.origin.kind.rawValue)
                $0.bind(capture.origin.path)
                $0.bind(capture.origin.line.map(Int64.init))
                $0.bind(capture.inputSHA256)
                $0.bind(capture.raw.size)
                $0.bind(declared.url)
                $0.bind(declared.source)
                $0.bind(declared.title)
                $0.bind(declared.fetchedAt)
                $0.bind(declared.publishedAt)
                $0.bind(declared.extra)
            }
        return outcome
    }

    /// - Parameter rows: the `objects` rows of the capture's raw and cleaned objects.
    private func insertVersion(
        of articleID: Int64, number: Int, capture: PreparedCapture, rows: (raw: Int64, cleaned: Int64),
        at time: Double, names: RowIDCache, in db: Database
    ) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO versions (article_id, number, raw_object, raw_row, created_at) VALUES (?, ?, ?, ?, ?)
            """).run {
                $0.bind(articleID)
                $0.bind(number)
                $0.bind(capture.raw.id)
                $0.bind(rows.raw)
                $0.bind(time)
            }
        let versionID = db.lastInsertedRowID
        try insertCleaning(
            of: versionID, object: capture.cleaned.id, row: rows.cleaned, title: capture.cleanedTitle,
            cleaner: capture.cleaner, at: time, names: names, in: db)
        return versionID
    }

    /// - Parameter row: the object's `objects` row.
    func insertCleaning(
        of versionID: Int64, object: ObjectID, row: Int64, title: String?, cleaner: CleanerIdentity, at time: Double,
        names: RowIDCache = RowIDCache(), in db: Database
    ) throws {
        let cleanerID = try names.id(of: "cleaner", cleaner.name + "\u{0}" + cleaner.version) {
            try rowID(
                selecting: "SELECT id FROM cleaners WHERE name = ? AND version = ?",
                inserting: "INSERT INTO cleaners (name, version) VALUES (?, ?)",
                arguments: [cleaner.name, cleaner.version], in: db)
        }
        try db.cachedStatement(sql: """
            INSERT INTO cleanings (version_id, object, object_row, cleaner_id, title, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """).run {
                $0.bind(versionID)
                $0.bind(object)
                $0.bind(row)
                $0.bind(cleanerID)
                $0.bind(title)
                $0.bind(time)
            }
    }

    /// The ids of rows that name things (cleaners, sources), looked up once per transaction: rows are never
    /// deleted, and one made by this transaction is gone with it if it rolls back, as the cache is.
    final class RowIDCache {
        private var ids: [String: Int64] = [:]

        func id(of kind: String, _ name: String, lookUp: () throws -> Int64) rethrows -> Int64 {
            let key = kind + "\u{0}" + name
            if let id = ids[key] { return id }
            let id = try lookUp()
            ids[key] = id
            return id
        }
    }

    /// The id of the row `selecting` finds, or of the one `inserting` makes with the same arguments when there is
    /// none (for the small tables that name things: cleaners, packs, sources).
    func rowID(selecting: String, inserting: String, arguments: StatementArguments, in db: Database) throws -> Int64 {
        if let id = try Int64.fetchOne(db.cachedStatement(sql: selecting), arguments: arguments) { return id }
        try db.cachedStatement(sql: inserting).execute(arguments: arguments)
        return db.lastInsertedRowID
    }

    /// Integers as a JSON array: one statement takes a whole list through `json_each`, where one statement per
    /// element would cost more in binding and stepping than its B-tree work.
    static func jsonArray(_ values: some Collection<Int64>) -> String {
        "[" + values.map(String.init).joined(separator: ",") + "]"
    }
}
