import Foundation
import GRDB
import Logging

/// Runs an ingest as a pipeline: the input is read in batches of `batchSize` arrivals; each batch is prepared on
/// every core (`CapturePreparer`: clean, hash, compress, fingerprint, on `WorkerThreads` of a lower priority)
/// while the previous one is written (`BatchWriter`: one pack file, one fsync, one catalog transaction).
///
/// A committed capture always has its objects on disk, and a crash leaves at most an unreferenced pack. Memory is
/// bounded by five batches (one being read, one resolved while the one before it is prepared and handed over, one
/// written, and the one being let go), whatever the size of the input.
struct Ingestor {
    let store: ObjectStore
    let catalog: Catalog
    let cleaner: any ArticleCleaner
    let options: IngestOptions
    let logger: Logger
    /// Runs before each batch is recorded; tests use it to interleave a `gc` with an ingest.
    var beforeEachCommit: @Sendable () throws -> Void = {}
    /// Batches written between two checkpoints with no reader open (the write-ahead log's size, in batches).
    static let batchesPerCheckpoint = 2

    func run(
        _ inputs: [IngestInput], onProblem: (InputProblem) -> Void, progress: (IngestProgress) -> Void = { _ in }
    ) throws -> IngestReport {
        let started = Date()
        var report = IngestReport()
        var done = IngestProgress()
        let run = try catalog.beginRun(arguments: options.arguments, at: started)
        let preparer = CapturePreparer(store: store, catalog: catalog, cleaner: cleaner, options: options)
        let workers = WorkerThreads(count: ProcessInfo.processInfo.activeProcessorCount)
        defer { workers.stop() }
        let writer = BatchWriter(store: store, catalog: catalog, run: run, beforeEachCommit: beforeEachCommit)
        let reader = BatchReader(
            reader: InputReader(
                validator: BodyValidator(maximumBytes: options.maximumBodyBytes),
                standardInputIsJSONL: options.standardInputIsJSONL),
            // Batches start small and double up to `batchSize`: what the first ones teach of each source's template
            // is then seen by the rest of a small ingest, not only by the next one.
            inputs: inputs, firstBatchSize: 64, batchSize: options.batchSize)
        defer { reader.cancel() }
        // Batch k is prepared seeing the catalog as batch k-2 left it, while batch k-1 is written: one snapshot per
        // core (at most four, lent to the threads piece by piece), all taken while the writer is idle.
        let readers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        @Sendable func takeSnapshots() throws -> SnapshotPool {
            SnapshotPool(try (0..<readers).map { _ in try catalog.pool.makeSnapshot() })
        }
        // Before the first snapshots: the writer learns from it whether anyone else committed since they were taken.
        var recent = RecentIndexing(dataVersion: try catalog.writerDataVersion())
        /// The snapshots the next batch is prepared in.
        var nextSnapshots = PendingSnapshots(try takeSnapshots())
        var codes: HuffmanCodes?
        var batches = 0
        /// The batch being written, and what the report needs of it (the batch itself is let go by the writer).
        var writing: (work: BackgroundWork<BatchResult>, captures: Int, bodyBytes: Int, inputBytes: Int)?

        func finishWriting() throws {
            guard let (work, captures, bodyBytes, inputBytes) = writing else { return }
            writing = nil
            let result = try work.wait()
            recent = result.recent
            for outcome in result.recorded.outcomes {
                switch outcome {
                case .newArticle: report.newArticles += 1
                case .newVersion: report.newVersions += 1
                case .unchanged: report.unchanged += 1
                }
            }
            report.objectsWritten += result.objectsWritten
            report.storedBytes += result.storedBytes
            report.writeSeconds += result.seconds
            report.similaritySeconds += result.recorded.similaritySeconds
            report.indexedArticles += result.recorded.indexedArticles
            report.bodyBytes += bodyBytes
            done.captures = report.captures
            done.bodyBytes = report.bodyBytes
            done.inputBytes += inputBytes
            done.rejected = report.rejected
            done.seconds = Date().timeIntervalSince(started)
            logger.debug("""
                committed \(captures) captures of run \(run): \(result.seconds) s written, of which \
                \(result.packSeconds) s pack, \(result.recorded.similaritySeconds) s similarity index, \
                \(result.recorded.templateSeconds) s template lines
                """)
            progress(done)
        }

        /// A batch being resolved on the workers (`CapturePreparer.resolve`: needs no snapshot), and the seconds that
        /// took.
        typealias Resolving = BackgroundWork<(batch: CapturePreparer.ResolvedBatch, seconds: Double)>
        /// The next batch, being resolved.
        var resolving: Resolving?
        /// What stopped the input, thrown once the batches read before it are handed to the writer.
        var readFailure: (any Error)?
        func resolveNext() {
            do {
                resolving = try reader.next().map { units in
                    // A thread of its own: it only waits for the workers, and on one of Dispatch's it could hold up
                    // the writer's start (Dispatch runs as many blocks at once as there are cores).
                    BackgroundWork(ownThread: true) {
                        var seconds = 0.0
                        let batch = measuring(into: &seconds) { preparer.resolve(units, on: workers) }
                        return (batch, seconds)
                    }
                }
            } catch {
                readFailure = error
            }
        }

        /// Prepares a resolved batch, starts resolving the one after it, and hands the batch to the writer once the
        /// one before is committed.
        func prepareAndWrite(_ next: Resolving) throws {
            var checkpointSeconds = 0.0
            let resolved = try next.wait()
            report.prepareSeconds += resolved.seconds
            let batch = try measuring(into: &report.prepareSeconds) {
                // Held here alone, the snapshots close once the batch is prepared: the checkpoint needs them closed.
                let snapshots: SnapshotPool
                (snapshots, checkpointSeconds) = try nextSnapshots.take()
                return try preparer.prepare(resolved.batch, seeing: snapshots, on: workers, codes: codes)
            }
            report.checkpointSeconds += checkpointSeconds
            // The next batch's bodies are compressed with codes fitted to this one's: a feed's bodies are alike,
            // and the codes follow it as it changes.
            codes = HuffmanCodes(fittedTo: batch.newObjects.lazy.map(\.body)) ?? codes
            for problem in batch.problems {
                report.rejected += 1
                onProblem(problem)
            }
            // The next batch is read and resolved while this one waits for the writer of the one before (the cores
            // were idle for 3% of a 100k ingest, waiting), and while the checkpoint between batches runs.
            resolveNext()
            try finishWriting()
            // With the snapshots closed, no reader holds the write-ahead log, so a checkpoint can copy all of it
            // into the database and the next transaction starts the log afresh. Were a snapshot always open (one
            // is, while a batch is written), the log would only grow: 8 GB and a third of the speed at 100k. Every
            // other batch is enough to keep it at two batches, and halves what the cores wait for here (checkpoints
            // 1.28 -> 0.66 s at 100k, 15.0 -> 7.1 s at 1M; paired CPU ratio 1.00).
            //
            // The checkpoint, mostly its fsync of the database, runs on another thread while the next batch is read
            // and resolved (which needs no snapshot), and the next snapshots are taken after it; this batch's writer
            // starts once they are. The cores had waited for it: 0.29 s of the 100k ingest's 8.3.
            batches += 1
            let snapshotsTaken = batches % Self.batchesPerCheckpoint == 0
                ? PendingSnapshots(checkpointing: catalog, then: takeSnapshots)
                : PendingSnapshots(try takeSnapshots())
            nextSnapshots = snapshotsTaken
            let indexed = recent
            let counts = (batch.captures.count, batch.bodyBytes, batch.inputBytes)
            let handover = Handover(consume batch)
            writing = (
                BackgroundWork {
                    try snapshotsTaken.waitUntilTaken()
                    let result = try writer.write(handover.take(), recent: indexed)
                    ProcessMemory.releaseFreePages()
                    return result
                },
                counts.0, counts.1, counts.2)
        }

        do {
            resolveNext()
            while let next = resolving {
                resolving = nil
                try prepareAndWrite(next)
            }
            if let readFailure { throw readFailure }
            try finishWriting()
            _ = try? nextSnapshots.take()
        } catch {
            // Never leave the writer running past the ingest: its batch is committed whole, or not at all. Nor the
            // workers busy with the next batch when they are stopped.
            _ = try? resolving?.wait()
            _ = try? writing?.work.wait()
            throw error
        }
        try catalog.finishRun(run, at: Date())
        report.seconds = Date().timeIntervalSince(started)
        for (name, index) in [("lsh", catalog.lshIndex), ("template", catalog.templateIndex),
                              ("object", catalog.objectIndex)] {
            let counts = index.blocks.counts
            let merges = index.backgroundMerges.withLock { $0 }
            logger.debug("""
                \(name) index runs: \(counts.hits) blocks read from the cache, \(counts.misses) from files; \
                \(merges.listed) merges made in the background, \(merges.discarded) discarded
                """)
        }
        return report
    }
}
