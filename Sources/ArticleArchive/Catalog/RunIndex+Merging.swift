/// Merging runs: the merge itself (`writeMerged`), made in a transaction or by a `BackgroundMerge`, and the one
/// background merge an index may have running.
extension RunIndex {
    /// Merges `runs` (consecutive, oldest first) into a new run `file`, made durable: of an article's records under a
    /// key, the newest wins; tombstones are dropped if `droppingTombstones` (the runs are the oldest, so nothing older
    /// remains for them to hide); past `keepPerKey` articles, a key's records are dropped.
    /// - Returns: the records written.
    func writeMerged(_ runs: [ListedRun], into file: String, droppingTombstones: Bool) throws -> Int {
        var cursors = runs.map { SortedRun.Cursor($0.run) }
        var writer = try SortedRunWriter(path: path(of: file))
        do {
            var previous: RunRecord?
            var keptUnderKey = 0
            // Two runs (a fanout of 2: most merges) are merged holding both heads, without looking over the cursors
            // for each record.
            let pairwise = cursors.count == 2
            var older = pairwise ? try cursors[0].peek() : nil
            var newer = pairwise ? try cursors[1].peek() : nil
            while true {
                let record: RunRecord
                if pairwise {
                    // On a tie (an article under a key in both), the newer run's record; the older one is then
                    // skipped below, as the generic loop does.
                    if let head = newer, older.map({ !RunRecord.precedes($0, head) }) ?? true {
                        record = head
                        cursors[1].advance()
                        newer = try cursors[1].peek()
                    } else if let head = older {
                        record = head
                        cursors[0].advance()
                        older = try cursors[0].peek()
                    } else {
                        break
                    }
                } else {
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
                    guard let least, let chosen else { break }
                    record = least
                    cursors[chosen].advance()
                }
                if let previous, !RunRecord.precedes(previous, record) { continue }  // an older record of the same
                if previous?.key != record.key { keptUnderKey = 0 }
                previous = record
                if record.isTombstone && droppingTombstones { continue }
                if let limit = keepPerKey, !record.isTombstone {
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
        return writer.count
    }

    /// Starts merging `runs` in the background, unless a merge is running or waits to be listed.
    func startMerge(_ runs: [ListedRun], includesOldest: Bool) {
        merging.withLock { merging in
            guard merging == nil else { return }
            merging = BackgroundMerge(runs, of: self, includesOldest: includesOldest)
        }
    }

    /// Whether a background merge is running or waits to be listed.
    var isMerging: Bool { runningMerge != nil }

    /// The background merge, running or waiting to be listed.
    var runningMerge: BackgroundMerge? { merging.withLock { $0 } }

    /// Takes the background merge, if there is one and it is done (or any, `includingUnfinished`): the caller lists
    /// it or `discard(_:)`s it.
    func takeMerge(includingUnfinished: Bool = false) -> BackgroundMerge? {
        merging.withLock { merging in
            guard let merge = merging, includingUnfinished || merge.isFinished else { return nil }
            merging = nil
            return merge
        }
    }

    /// Deletes what a merge that will not be listed wrote.
    func discard(_ merge: BackgroundMerge) {
        backgroundMerges.withLock { $0.discarded += 1 }
        // Derived data, and not listed: a file left behind is deleted by the next write (`removeUnusedFiles`).
        try? remove(merge.file)
    }

    /// The files the background merge is writing, which no transaction lists yet.
    var filesBeingMerged: Set<String> {
        merging.withLock { merging in
            guard let file = merging?.file else { return [] }
            return [file, file + SortedRunWriter.temporarySuffix]
        }
    }
}
