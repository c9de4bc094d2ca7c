import Synchronization

/// The snapshots the next batch is prepared in: taken already, or being taken on a thread of its own after a
/// checkpoint. The batch takes them (`take()`), after which nothing here holds them: the next checkpoint needs every
/// snapshot closed, and a writer still waiting here (`waitUntilTaken()`) must not keep them open.
final class PendingSnapshots: Sendable {
    /// Where the snapshots are, once taken, until the batch takes them out.
    private final class Slot: Sendable {
        let pool: Mutex<SnapshotPool?>
        init(_ pool: SnapshotPool?) { self.pool = Mutex(pool) }
    }

    private let slot: Slot
    /// The checkpoint, then the taking of the snapshots, returning the checkpoint's seconds (`nil`: taken already).
    private let checkpointing: BackgroundWork<Double>?

    /// Snapshots taken already.
    init(_ pool: SnapshotPool) {
        slot = Slot(pool)
        checkpointing = nil
    }

    /// Checkpoints `catalog`, then takes snapshots with `takeSnapshots`, on a thread of its own (a writer on one of
    /// Dispatch's threads waits for it).
    init(checkpointing catalog: Catalog, then takeSnapshots: @escaping @Sendable () throws -> SnapshotPool) {
        let slot = Slot(nil)
        self.slot = slot
        checkpointing = BackgroundWork(ownThread: true) {
            var seconds = 0.0
            try measuring(into: &seconds) { try catalog.checkpoint() }
            let pool = try takeSnapshots()
            slot.pool.withLock { $0 = pool }
            return seconds
        }
    }

    /// Waits until the snapshots are taken, or throws what stopped them.
    func waitUntilTaken() throws {
        _ = try checkpointing?.wait()
    }

    /// Waits for the snapshots and takes them, with the seconds the checkpoint before them took.
    func take() throws -> (pool: SnapshotPool, checkpointSeconds: Double) {
        let seconds = try checkpointing?.wait() ?? 0
        guard let pool = slot.pool.withLock({ pool in defer { pool = nil }; return pool }) else {
            preconditionFailure("a batch's snapshots are taken once")
        }
        return (pool, seconds)
    }
}
