import Foundation

/// The files that make an archive folder a bare SHA-256 git repository, so that `git --git-dir=ARCHIVE`
/// can read (`cat-file`) and check (`fsck`) the object store.
enum GitRepositoryLayout {
    static let headFile = "HEAD"
    static let configFile = "config"

    /// `gc.auto = 0` and `gc.pruneExpire = never`: the catalog, not git, knows which objects are referenced,
    /// so a `git gc` run by hand must never prune an object git itself sees no ref to.
    static let config = """
        [core]
        \trepositoryformatversion = 1
        \tfilemode = true
        \tbare = true
        [extensions]
        \tobjectformat = sha256
        [gc]
        \tauto = 0
        \tpruneExpire = never
        \treflogExpireUnreachable = never

        """

    /// Whether `directory` already holds a git repository layout.
    static func exists(at directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(headFile).path)
    }

    /// Checks that an existing repository at `directory` uses SHA-256 object ids.
    static func validate(at directory: URL) throws {
        let configURL = directory.appendingPathComponent(configFile)
        guard let text = try? String(contentsOf: configURL, encoding: .utf8) else {
            throw StoreError.notAnArchive(path: directory.path, reason: "it has a HEAD but no readable config")
        }
        let compact = text.lowercased().filter { !$0.isWhitespace }
        guard compact.contains("objectformat=sha256") else {
            throw StoreError.notAnArchive(path: directory.path, reason: "it is a git repository with SHA-1 object ids")
        }
    }

    /// Creates the layout in `directory`, which may hold nothing but a README.
    static func create(at directory: URL) throws {
        let manager = FileManager.default
        let existing = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
        // Another process may be creating the same archive right now: its files are not foreign.
        let ownNames: Set<String> = ["readme.md", "head", "config", "objects", "refs", "tmp", "catalog.sqlite",
                                     "catalog.sqlite-wal", "catalog.sqlite-shm"]
        let foreign = existing.filter { !$0.hasPrefix(".") && !ownNames.contains($0.lowercased()) }
        guard foreign.isEmpty else {
            throw StoreError.notAnArchive(
                path: directory.path,
                reason: "it already holds other files (\(foreign.sorted().prefix(3).joined(separator: ", ")))")
        }
        let folders = ["objects/info", "objects/pack", "refs/heads", "refs/tags", "tmp"]
        do {
            for folder in folders {
                try manager.createDirectory(
                    at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            try Data(config.utf8).write(to: directory.appendingPathComponent(configFile), options: .atomic)
            try Data("ref: refs/heads/main\n".utf8).write(
                to: directory.appendingPathComponent(headFile), options: .atomic)
        } catch {
            throw StoreError.io(path: directory.path, operation: "create archive at", errno: (error as NSError).code == 0 ? EIO : EACCES)
        }
    }
}
