import Foundation

/// An exclusive lock on a file beside the catalog, held by the process setting the catalog up: creating it in
/// WAL mode, or migrating its schema.
///
/// Processes opening one new archive at once race there, and SQLite does not make them wait: switching a new
/// database to WAL fails at once with "database is locked" in all but one, and GRDB's migrator, which reads which
/// migrations are applied once and then runs each in a transaction of its own, lets two processes run the same
/// migration, the second failing on what the first made. Each takes this lock first and finds the work done
/// when it is its turn. The lock is advisory (`flock`) and goes with the process if it dies.
final class CatalogSetUpLock {
    private let descriptor: Int32

    /// Blocks until this process holds the lock at `path`, creating the file if needed.
    init(path: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError.io(path: path, operation: "open lock file", errno: errno) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let code = errno
                close(descriptor)
                throw StoreError.io(path: path, operation: "lock", errno: code)
            }
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Whether the SQLite database at `path` exists and is in WAL mode (its header's write version is 2), so
    /// that opening it changes no journal mode.
    static func isWALDatabase(at path: String) -> Bool {
        guard let file = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? file.close() }
        guard let header = try? file.read(upToCount: 20), header.count == 20 else { return false }
        return header[header.startIndex + 18] == 2 && header[header.startIndex + 19] == 2
    }
}
