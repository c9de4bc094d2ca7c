import GRDB

extension Catalog {
    /// Runs `body` holding the catalog's write lock, so no ingest commits meanwhile.
    func withWriteLock<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Every object a version or a cleaning refers to.
    func referencedObjects(in db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT raw_object FROM versions UNION SELECT object FROM cleanings"))
    }

    /// Every pack a committed batch refers to.
    func referencedPacks(in db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT name FROM packs"))
    }

    /// Every pack a committed batch refers to.
    func referencedPacks() throws -> Set<String> {
        try pool.read { db in try referencedPacks(in: db) }
    }

    /// Drops the catalog rows of objects nothing refers to, and their object index entries.
    func deleteObjectRows(_ ids: [ObjectID], in db: Database) throws {
        let objectUpdate = try objectIndex.update(in: db)
        let statement = try db.cachedStatement(sql: "DELETE FROM objects WHERE row = ?")
        for id in ids {
            guard let row = try row(of: id, index: objectUpdate, in: db) else { continue }
            try statement.execute(arguments: [row])
            objectUpdate.remove(article: row, keys: CollectionOfOne(Self.objectKey(id)))
        }
        try objectUpdate.finish(in: db)
    }
}
