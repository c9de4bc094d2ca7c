import Foundation
import GRDB

/// One write transaction's view and changes of a run index: the listed runs, plus the changes made so far in
/// memory, which `finish(in:)` writes as a new run (and merges) before the transaction commits.
final class RunIndexUpdate: RunIndexLookup {
    private let index: RunIndex
    private(set) var runs: [RunIndex.ListedRun]
    /// This transaction's changes, in the order made: an article put under a key, or (a tombstone) taken from it.
    private var changes: [RunRecord] = []
    /// The last change of each key, among the changes up to `indexedChanges`, and of each change the one before it
    /// of the same key (-1 for none): indexed when the transaction looks keys up (most only add), one flat table
    /// where a dictionary of articles per key cost an allocation per key.
    private var lastChangeOfKey: [HashKey: Int] = [:]
    private var previousChangeOfKey: [Int] = []
    private var indexedChanges = 0

    init(index: RunIndex, runs: [RunIndex.ListedRun]) {
        self.index = index
        self.runs = runs
    }

    /// Puts an article under keys.
    func add(article: Int64, keys: some Sequence<UInt64>) {
        for key in keys { changes.append(RunRecord(key: key, article: article)) }
    }

    /// Puts an article that may be older than some already under the keys (a new version of an old article) under
    /// them: the index's cached answers those keys had are dropped if it changes them.
    func addEarlier(article: Int64, keys: some Sequence<UInt64>) throws {
        let committed = RunIndexReader(index: index, runs: runs)
        for key in keys {
            // Only a committed answer can be cached, and only a full one is: whether this article changes it is
            // what matters (later articles of this transaction cannot, earlier ones take the key out themselves).
            if index.keepPerKey != nil {
                index.noteEarlierArticle(article, under: key, current: try committed.articles(under: key))
            }
            changes.append(RunRecord(key: key, article: article))
        }
    }

    /// Takes an article from under keys.
    func remove(article: Int64, keys: some Sequence<UInt64>) {
        for key in keys { changes.append(RunRecord(key: key, article: article, isTombstone: true)) }
    }

    /// The articles under `key`, this transaction's changes included, lowest id first.
    func articles(under key: UInt64) throws -> [Int64] {
        // A cached answer is committed and saturated: what this transaction added is later articles, or earlier
        // ones that took the key out of the cache (`addEarlier`).
        if let cached = index.saturatedArticles(under: key) { return cached }
        let records = try RunIndexReader(index: index, runs: runs).records(of: key)
        while indexedChanges < changes.count {
            let key = HashKey(changes[indexedChanges].key)
            previousChangeOfKey.append(lastChangeOfKey[key] ?? -1)
            lastChangeOfKey[key] = indexedChanges
            indexedChanges += 1
        }
        // Article -> whether it is under the key, the newest change deciding.
        var pending: [Int64: Bool] = [:]
        var position = lastChangeOfKey[HashKey(key)] ?? -1
        while position >= 0 {
            let change = changes[position]
            if pending[change.article] == nil { pending[change.article] = !change.isTombstone }
            position = previousChangeOfKey[position]
        }
        return RunIndexReader.articles(in: records, pending: pending.isEmpty ? nil : pending, keeping: index.keepPerKey)
    }

    /// Writes the changes as a run, merges runs that fill a size class, and lists both in the catalog. Call it
    /// inside the transaction, last.
    func finish(in db: Database) throws {
        guard !changes.isEmpty else { return }
        let records = RunRecordSorting.sortedLatest(changes)
        changes = []
        lastChangeOfKey = [:]
        previousChangeOfKey = []
        indexedChanges = 0
        try write(records, in: db)
        try mergeFullSizeClasses(in: db)
        try index.syncDirectory()
    }

    /// Rebuilds the index from its source, a bounded number of records per run.
    func rebuild(in db: Database) throws {
        var records: [RunRecord] = []
        func flush() throws {
            guard !records.isEmpty else { return }
            // A key listed twice for one article is one entry.
            try write(RunRecordSorting.sortedLatest(records), in: db)
            try mergeFullSizeClasses(in: db)
            records = []
        }
        try index.rebuildSource(db) { record in
            records.append(record)
            if records.count >= index.rebuildRecords { try flush() }
        }
        try flush()
        try index.syncDirectory()
        // Keys are looked up in this transaction after a rebuild: with every run's filter.
        for position in runs.indices { runs[position].run = try index.run(named: runs[position].file) }
    }

    private func write(_ records: [RunRecord], in db: Database) throws {
        let file = index.newFileName()
        var writer = try SortedRunWriter(path: index.path(of: file))
        do {
            for record in records { try writer.append(record) }
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        try list(file, entries: writer.count, in: db)
    }

    /// Lists a run written in this transaction. A merged one is listed without its filter in memory: no key is
    /// looked up in it before the next transaction (or batch of readers), by which time the readers of the runs it
    /// replaces are done.
    private func list(_ file: String, entries: Int, loadingFilter: Bool = true, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO \(index.name)_runs (file, entries) VALUES (?, ?)")
            .execute(arguments: [file, entries])
        runs.append(.init(
            id: db.lastInsertedRowID, file: file, entries: entries,
            run: try index.run(named: file, loadingFilter: loadingFilter)))
    }

    /// While the newest `fanout` runs (or more) are of one size class, merges them into one.
    private func mergeFullSizeClasses(in db: Database) throws {
        while let newest = runs.last, newest.entries < index.maximumMergedEntries {
            let sizeClass = index.sizeClass(newest.entries)
            var start = runs.count - 1
            while start > 0 && index.sizeClass(runs[start - 1].entries) <= sizeClass
                && runs[start - 1].entries < index.maximumMergedEntries {
                start -= 1
            }
            guard runs.count - start >= index.fanout else { return }
            try merge(from: start, in: db)
        }
    }

    /// Merges `runs[start...]` into one run: of an article's records under a key, the newest wins; a tombstone is
    /// dropped when nothing older remains for it to hide; past `keepPerKey` articles, a key's records are dropped.
    private func merge(from start: Int, in db: Database) throws {
        let merged = Array(runs[start...])
        var cursors = merged.map { SortedRun.Cursor($0.run) }
        let file = index.newFileName()
        var writer = try SortedRunWriter(path: index.path(of: file))
        do {
            var previous: RunRecord?
            var keptUnderKey = 0
            while true {
                // The least record; among equal ones (an article under a key), the one of the newest run.
                var chosen: Int?
                var least: RunRecord?
                for position in cursors.indices {
                    guard let head = try cursors[position].peek() else { continue }
                    // Iterating oldest first, an equal record of a later run replaces the one chosen.
                    if let current = least, RunRecord.precedes(current, head) { continue }
                    least = head
                    chosen = position
                }
                guard let record = least, let position = chosen else { break }
                cursors[position].advance()
                if let previous, !RunRecord.precedes(previous, record) { continue }  // an older record of the same
                if previous?.key != record.key { keptUnderKey = 0 }
                previous = record
                if record.isTombstone && start == 0 { continue }
                if let limit = index.keepPerKey, !record.isTombstone {
                    guard keptUnderKey < limit else { continue }
                    keptUnderKey += 1
                }
                try writer.append(record)
            }
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        for listed in merged {
            try db.cachedStatement(sql: "DELETE FROM \(index.name)_runs WHERE id = ?").execute(arguments: [listed.id])
        }
        try index.retire(merged.map(\.file), in: db)
        runs.removeSubrange(start...)
        try list(file, entries: writer.count, loadingFilter: false, in: db)
    }
}
