import Foundation

/// Reads an ingest's inputs on a thread of its own and hands them out in batches, one batch ahead of the pipeline:
/// the next batch is read (files opened, JSONL lines split) while the current one is prepared, instead of leaving
/// the cores that prepare idle while the caller reads.
///
/// Batches start at `firstBatchSize` units and double up to `batchSize`. At most `aheadLimit` batches wait to be
/// taken, so memory is bounded by the batch size whatever the size of the input.
final class BatchReader: @unchecked Sendable {
    /// How many read batches may wait to be taken.
    static let aheadLimit = 1

    private let condition = NSCondition()
    // Guarded by `condition`: read batches not yet taken, whether reading is over (and how), whether to stop.
    private var ready: [[IngestUnit]] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false

    private struct Cancelled: Error {}

    /// Starts reading `inputs` on a new thread.
    init(reader: InputReader, inputs: [IngestInput], firstBatchSize: Int, batchSize: Int) {
        let thread = Thread { [self] in
            var pending: [IngestUnit] = []
            var limit = max(1, min(batchSize, firstBatchSize))
            do {
                try reader.read(inputs) { (unit: IngestUnit) in
                    pending.append(unit)
                    if pending.count >= limit {
                        try hand(pending)
                        pending = []
                        limit = min(batchSize, limit * 2)
                    }
                }
                if !pending.isEmpty { try hand(pending) }
                finish(failure: nil)
            } catch is Cancelled {
                finish(failure: nil)
            } catch {
                finish(failure: error)
            }
        }
        thread.name = "archive-reader"
        thread.start()
    }

    /// The next batch, in input order; `nil` once the input is read. Rethrows what stopped the reading.
    func next() throws -> [IngestUnit]? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        if !ready.isEmpty {
            condition.broadcast()
            return ready.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the reading: the thread ends when it has read its next unit (it is not waited for, since reading
    /// standard input can block until the other end closes it).
    func cancel() {
        condition.lock()
        cancelled = true
        ready = []
        condition.broadcast()
        condition.unlock()
    }

    private func hand(_ batch: [IngestUnit]) throws {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= Self.aheadLimit && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        ready.append(batch)
        condition.broadcast()
    }

    private func finish(failure: (any Error)?) {
        condition.lock()
        finished = true
        self.failure = failure
        condition.broadcast()
        condition.unlock()
    }
}
