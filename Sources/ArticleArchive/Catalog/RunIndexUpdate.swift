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
    /// Whether runs filling a size class are merged by a `BackgroundMerge` rather than in this transaction.
    private let mergesInBackground: Bool

    init(index: RunIndex, runs: [RunIndex.ListedRun], mergingInBackground: Bool = false) {
        self.index = index
        self.runs = runs
        mergesInBackground = mergingInBackground
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

    /// Writes the changes as a run, merges runs that fill a size class, and lists them in the catalog. Call it
    /// inside the transaction, last.
    func finish(in db: Database) throws {
        guard !changes.isEmpty else { return }
        let records = RunRecordSorting.sortedLatest(changes)
        changes = []
        lastChangeOfKey = [:]
        previousChangeOfKey = []
        indexedChanges = 0
        try write(records, in: db)
        try mergeFullSizeClasses(finishing: !mergesInBackground, in: db)
        try index.syncDirectory()
    }

    /// Waits for the background merge and lists it, then merges what else fills a size class in this transaction:
    /// what an ingest does as it ends, so the index is left as merged as one whose merges are all made in their
    /// transactions.
    func finishMerging(in db: Database) throws {
        try mergeFullSizeClasses(finishing: true, in: db)
        try index.syncDirectory()
    }

    /// While `fanout` runs (or more) fill a size class, merges them into one (`RunIndex.writeMerged`). Small merges
    /// are made in this transaction. One that will hold `backgroundMergeEntries` or more, with the merges it would
    /// cascade into, is one `BackgroundMerge` (unless one is running already: it waits for a later transaction),
    /// which a later transaction lists once it is done; merges meanwhile take only newer runs. `finishing`, the
    /// background merge is waited for, and every merge made here.
    ///
    /// A background merge that cannot be listed (its runs changed meanwhile: another process merged them, the
    /// index was rebuilt, or its file is gone) is discarded, and its runs merged again.
    private func mergeFullSizeClasses(finishing: Bool, in db: Database) throws {
        if let merge = index.takeMerge(includingUnfinished: finishing), try !list(merge, in: db) {
            index.discard(merge)
        }
        // The runs a running merge reads are left to it.
        let first = index.runningMerge.flatMap { merge in runs.firstIndex { $0.id == merge.runs.last?.id } }
            .map { $0 + 1 } ?? 0
        while let range = newestFullSizeClass(from: first) {
            let cascade = cascade(from: range)
            if finishing || cascade.entries < index.backgroundMergeEntries {
                let file = index.newFileName()
                let entries = try index.writeMerged(
                    Array(runs[range]), into: file, droppingTombstones: range.lowerBound == 0)
                // No key is looked up in the merged run before the next transaction (or batch of readers), by
                // which time the readers of the runs it replaces are done: its filter is not loaded beside theirs
                // till then.
                let run = try index.run(named: file, loadingFilter: false)
                try replace(Range(range), with: run, file: file, entries: entries, in: db)
            } else {
                index.startMerge(Array(runs[cascade.range]), includesOldest: cascade.range.lowerBound == 0)
                return
            }
        }
    }

    /// The runs that merging `range` leads to merging, merged in their transaction one after the other (the merged
    /// run then fills its size class with older runs, and so on), and about how many entries the last merge holds.
    private func cascade(from range: ClosedRange<Int>) -> (range: ClosedRange<Int>, entries: Int) {
        var start = range.lowerBound
        var entries = runs[range].reduce(0) { $0 + $1.entries }
        while entries < index.maximumMergedEntries {
            var older = start
            while older > 0 && index.sizeClass(runs[older - 1].entries) <= index.sizeClass(entries)
                && runs[older - 1].entries < index.maximumMergedEntries {
                older -= 1
            }
            guard start - older + 1 >= index.fanout else { break }
            entries += runs[older..<start].reduce(0) { $0 + $1.entries }
            start = older
        }
        return (start...range.upperBound, entries)
    }

    /// Lists a background merge's run in place of the runs it merged, if they are listed still, one after the
    /// other (and the oldest, if it dropped tombstones). It takes the id of the newest of them, and so its place.
    /// - Returns: whether it was listed.
    private func list(_ merge: BackgroundMerge, in db: Database) throws -> Bool {
        guard let entries = try? merge.entries(),
              let start = runs.firstIndex(where: { $0.id == merge.runs[0].id }),
              runs.count - start >= merge.runs.count,
              zip(runs[start...], merge.runs).allSatisfy({ $0.id == $1.id && $0.file == $1.file }),
              !merge.includesOldest || start == 0,
              // Without its filter, as a run merged in the transaction (`mergeFullSizeClasses`).
              let run = try? index.run(named: merge.file, checkingFile: true, loadingFilter: false),
              run.count == entries
        else { return false }
        try replace(start..<(start + merge.runs.count), with: run, file: merge.file, entries: entries, in: db)
        index.backgroundMerges.withLock { $0.listed += 1 }
        return true
    }

    /// Rebuilds the index from its source, a bounded number of records per run.
    func rebuild(in db: Database) throws {
        var records: [RunRecord] = []
        func flush() throws {
            guard !records.isEmpty else { return }
            // A key listed twice for one article is one entry.
            try write(RunRecordSorting.sortedLatest(records), in: db)
            try mergeFullSizeClasses(finishing: true, in: db)
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

    /// Lists a run written in this transaction, as the newest.
    private func list(_ file: String, entries: Int, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO \(index.name)_runs (file, entries) VALUES (?, ?)")
            .execute(arguments: [file, entries])
        runs.append(.init(id: db.lastInsertedRowID, file: file, entries: entries, run: try index.run(named: file)))
    }

    /// Lists a merged run in place of the runs it merged, `runs[range]`: it takes the id of the newest, and so its
    /// place among the runs.
    private func replace(
        _ range: Range<Int>, with run: SortedRun, file: String, entries: Int, in db: Database
    ) throws {
        let newest = runs[range.upperBound - 1]
        for listed in runs[range].dropLast() {
            try db.cachedStatement(sql: "DELETE FROM \(index.name)_runs WHERE id = ?").execute(arguments: [listed.id])
        }
        try db.cachedStatement(sql: "UPDATE \(index.name)_runs SET file = ?, entries = ? WHERE id = ?")
            .execute(arguments: [file, entries, newest.id])
        try index.retire(runs[range].map(\.file), in: db)
        runs.replaceSubrange(range, with: [.init(id: newest.id, file: file, entries: entries, run: run)])
    }

    /// The newest runs, from `first` on, that fill a size class: `fullSizeClass(endingAt:from:)` of the newest run
    /// that ends one. Merged in their transaction, only the newest runs ever fill one (merges cascade at once);
    /// merged in the background, a merge's run is listed after newer runs, and fills its class among older ones.
    private func newestFullSizeClass(from first: Int = 0) -> ClosedRange<Int>? {
        for last in runs.indices.reversed() where last >= first {
            if let start = fullSizeClass(endingAt: last, from: first) { return start...last }
        }
        return nil
    }

    /// Where the runs ending at `last` (and starting at `first` or later) start, when `fanout` of them (or more) are
    /// of `last`'s size class or below, and below the largest.
    private func fullSizeClass(endingAt last: Int, from first: Int) -> Int? {
        guard runs[last].entries < index.maximumMergedEntries else { return nil }
        let sizeClass = index.sizeClass(runs[last].entries)
        var start = last
        while start > first && index.sizeClass(runs[start - 1].entries) <= sizeClass
            && runs[start - 1].entries < index.maximumMergedEntries {
            start -= 1
        }
        return last + 1 - start >= index.fanout ? start : nil
    }
}
