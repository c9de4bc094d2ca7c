/// A merge of consecutive runs of an index into one, written on a thread of its own while write transactions go on
/// (an ingest's batches), and listed in place of those runs by a later transaction, if they are still listed as
/// they were (`RunIndexUpdate`).
///
/// Merged in the transaction, a merge of large runs held the ingest's writer for as long as it took, while the
/// batch after it, prepared, waited: 0.28 s of the 100k ingest's 8.8, 4.8 s of the 1M ingest's 116, with a core
/// idle.
final class BackgroundMerge: Sendable {
    /// The runs merged, consecutive in the index, oldest first.
    let runs: [RunIndex.ListedRun]
    /// The merged run's file, in the index's folder; not listed until the merge is.
    let file: String
    /// Whether the runs were the oldest of the index: tombstones were then dropped, and the merge is only listed
    /// while they still are.
    let includesOldest: Bool
    private let work: BackgroundWork<Int>

    /// Starts merging `runs` of `index`.
    init(_ runs: [RunIndex.ListedRun], of index: RunIndex, includesOldest: Bool) {
        precondition(runs.count >= 2, "a merge takes two runs or more")
        self.runs = runs
        self.includesOldest = includesOldest
        let file = index.newFileName()
        self.file = file
        // Each index may be merging at once, and the ingest's writer waits for a thread of Dispatch's.
        work = BackgroundWork(ownThread: true) {
            try index.writeMerged(runs, into: file, droppingTombstones: includesOldest)
        }
    }

    /// Whether the merge is done (written and durable, or failed).
    var isFinished: Bool { work.isFinished }

    /// Waits for the merge, and returns the merged run's record count, or throws what stopped it.
    func entries() throws -> Int { try work.wait() }
}
