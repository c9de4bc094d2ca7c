import Foundation

/// The snapshots the next batch is prepared in: taken already, or being taken on a thread of its own after a
/// checkpoint. The batch takes them (`take()`), after which nothing here holds them: the next checkpoint needs every
/// snapshot closed, and a writer still waiting here (`waitUntilTaken()`) must not keep them open.
final class PendingSnapshots: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    // Guarded by `lock`; set once before `done` is signalled.
    private var pool: SnapshotPool?
    private var failure: (any Error)?
    private var checkpointSeconds = 0.0

    /// Snapshots taken already.
    init(_ pool: SnapshotPool) {
        self.pool = pool
        done.signal()
    }

    /// Checkpoints `catalog`, then takes snapshots with `takeSnapshots`, on a thread of its own (a writer on one of
    /// Dispatch's threads waits for it).
    init(checkpointing catalog: Catalog, then takeSnapshots: @escaping @Sendable () throws -> SnapshotPool) {
        Thread {
            var seconds = 0.0
            let result = Result { () throws -> SnapshotPool in
                try measuring(into: &seconds) { try catalog.checkpoint() }
                return try takeSnapshots()
            }
            self.lock.withLock {
                self.checkpointSeconds = seconds
                switch result {
                case .success(let pool): self.pool = pool
                case .failure(let error): self.failure = error
                }
            }
            self.done.signal()
        }.start()
    }

    /// Waits until the snapshots are taken, or throws what stopped them.
    func waitUntilTaken() throws {
        done.wait()
        done.signal()  // later waits return at once
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    /// Waits for the snapshots and takes them, with the seconds the checkpoint before them took.
    func take() throws -> (pool: SnapshotPool, checkpointSeconds: Double) {
        try waitUntilTaken()
        return lock.withLock {
            guard let pool else { preconditionFailure("a batch's snapshots are taken once") }
            self.pool = nil
            return (pool, checkpointSeconds)
        }
    }
}
