import Foundation
import GRDB

/// One write transaction's view and changes of the LSH index: the listed runs, plus the changes made so far in
/// memory, which `finish(in:)` writes as a new run (and merges) before the transaction commits.
final class LSHIndexUpdate {
    private let index: LSHRunIndex
    private(set) var runs: [LSHRunIndex.ListedRun]
    /// Bucket -> article -> whether the article is in the bucket (false: it left it).
    private var pending: [UInt64: [Int64: Bool]] = [:]

    init(index: LSHRunIndex, runs: [LSHRunIndex.ListedRun]) {
        self.index = index
        self.runs = runs
    }

    /// Puts an article in its buckets (one per band).
    func add(article: Int64, buckets: [Int64]) {
        for bucket in buckets { pending[UInt64(bitPattern: bucket), default: [:]][article] = true }
    }

    /// Takes an article out of buckets it was in.
    func remove(article: Int64, buckets: [Int64]) {
        for bucket in buckets { pending[UInt64(bitPattern: bucket), default: [:]][article] = false }
    }

    /// The articles other than `article` sharing any of `buckets`: from each bucket, its `limit` lowest article ids.
    func candidates(of buckets: [Int64], excluding article: Int64, limit: Int) throws -> Set<Int64> {
        var candidates = Set<Int64>()
        for bucket in Set(buckets.map { UInt64(bitPattern: $0) }) {
            var members: [Int64: Bool] = [:]
            for listed in runs {
                for record in try listed.run.records(in: bucket) { members[record.article] = !record.isTombstone }
            }
            if let changes = pending[bucket] { members.merge(changes) { $1 } }
            let inBucket = members.compactMap { $0.value && $0.key != article ? $0.key : nil }
            candidates.formUnion(inBucket.count > limit ? Array(inBucket.sorted().prefix(limit)) : inBucket)
        }
        return candidates
    }

    /// Writes the changes as a run, merges runs that fill a size class, and lists both in the catalog. Call it
    /// inside the transaction, last.
    func finish(in db: Database) throws {
        guard !pending.isEmpty else { return }
        var records: [LSHRecord] = []
        records.reserveCapacity(pending.values.reduce(0) { $0 + $1.count })
        for (bucket, members) in pending {
            for (article, isMember) in members {
                records.append(LSHRecord(bucket: bucket, article: article, isTombstone: !isMember))
            }
        }
        pending = [:]
        records.sort(by: LSHRecord.precedes)
        try write(records, in: db)
        try mergeFullSizeClasses(in: db)
        try index.syncDirectory()
    }

    /// Rebuilds the index from every fingerprint's buckets, a bounded number of articles per run.
    func rebuild(in db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT article_id, buckets FROM fingerprints WHERE length(buckets) > 0 ORDER BY article_id
            """)
        var records: [LSHRecord] = []
        var articles = 0
        func flush() throws {
            guard !records.isEmpty else { return }
            records.sort(by: LSHRecord.precedes)
            try write(records, in: db)
            try mergeFullSizeClasses(in: db)
            records = []
            articles = 0
        }
        while let row = try rows.next() {
            let article: Int64 = row[0]
            let buckets = LSHBucketList.decode(Array(row[1] as Data))
            // A bucket listed twice by one article is one entry.
            for bucket in Set(buckets) { records.append(LSHRecord(bucket: UInt64(bitPattern: bucket), article: article)) }
            articles += 1
            if articles >= index.rebuildArticles { try flush() }
        }
        try flush()
        try index.syncDirectory()
    }

    private func write(_ records: [LSHRecord], in db: Database) throws {
        let file = index.newFileName()
        let writer = try LSHRunWriter(path: index.path(of: file))
        do {
            for record in records { try writer.append(record) }
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        try list(file, entries: writer.count, in: db)
    }

    private func list(_ file: String, entries: Int, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO lsh_runs (file, entries) VALUES (?, ?)").execute(arguments: [file, entries])
        runs.append(.init(id: db.lastInsertedRowID, file: file, entries: entries, run: try index.run(named: file)))
    }

    /// While the newest `fanout` runs (or more) are of one size class, merges them into one.
    private func mergeFullSizeClasses(in db: Database) throws {
        while let newest = runs.last {
            let sizeClass = index.sizeClass(newest.entries)
            var start = runs.count - 1
            while start > 0 && index.sizeClass(runs[start - 1].entries) <= sizeClass { start -= 1 }
            guard runs.count - start >= index.fanout else { return }
            try merge(from: start, in: db)
        }
    }

    /// Merges `runs[start...]` into one run: of an article's records in a bucket, the newest wins, and a tombstone
    /// is dropped when nothing older remains for it to hide.
    private func merge(from start: Int, in db: Database) throws {
        let merged = Array(runs[start...])
        var cursors = merged.map { LSHRun.Cursor($0.run) }
        let file = index.newFileName()
        let writer = try LSHRunWriter(path: index.path(of: file))
        do {
            var previous: LSHRecord?
            while true {
                // The least record; among equal ones (an article in a bucket), the one of the newest run.
                var chosen: Int?
                var least: LSHRecord?
                for position in cursors.indices {
                    guard let head = try cursors[position].peek() else { continue }
                    // Iterating oldest first, an equal record of a later run replaces the one chosen.
                    if let current = least, LSHRecord.precedes(current, head) { continue }
                    least = head
                    chosen = position
                }
                guard let record = least, let position = chosen else { break }
                cursors[position].advance()
                if let previous, !LSHRecord.precedes(previous, record) { continue }  // an older record of the same
                previous = record
                if record.isTombstone && start == 0 { continue }
                try writer.append(record)
            }
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        for listed in merged {
            try db.cachedStatement(sql: "DELETE FROM lsh_runs WHERE id = ?").execute(arguments: [listed.id])
            try db.cachedStatement(sql: "INSERT INTO lsh_retired_runs (file) VALUES (?)").execute(arguments: [listed.file])
        }
        runs.removeSubrange(start...)
        try list(file, entries: writer.count, in: db)
    }
}
