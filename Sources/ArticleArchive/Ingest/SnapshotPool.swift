import Foundation
import GRDB

/// Snapshots of one state of the catalog, lent to whichever thread needs one: work split into many small pieces
/// reads each piece in any free snapshot, so no thread waits on a share fixed in advance.
final class SnapshotPool: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var free: [DatabaseSnapshot]

    /// - Parameter snapshots: connections to one state of the catalog (taken together, with no commit between).
    init(_ snapshots: [DatabaseSnapshot]) {
        precondition(!snapshots.isEmpty, "a snapshot pool needs a snapshot")
        free = snapshots
    }

    /// Reads in a free snapshot (waiting for one if all are lent), which no other thread uses meanwhile.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        condition.lock()
        while free.isEmpty { condition.wait() }
        let snapshot = free.removeLast()
        condition.unlock()
        defer {
            condition.lock()
            free.append(snapshot)
            condition.signal()
            condition.unlock()
        }
        return try snapshot.read(body)
    }
}
