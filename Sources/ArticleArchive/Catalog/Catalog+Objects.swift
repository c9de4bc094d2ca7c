import GRDB

/// The catalog's list of stored objects, and where the packed ones are.
extension Catalog {
    /// Lists an object (a no-op when it is listed already).
    /// - Parameter packID: the `packs` row of the object's pack, for a packed object.
    func insertObject(_ object: ObjectStore.StoredObject, at time: Double, packID: Int64? = nil, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO objects (id, size, stored_size, created_at, pack_id, pack_offset) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING
            """).execute(arguments: [object.id.hex, object.size, object.storedSize, time,
                                     packID, packID == nil ? nil : object.location?.offset])
    }

    /// The `packs` row of a pack, made on first use.
    func packID(_ name: String, in db: Database) throws -> Int64 {
        try rowID(
            selecting: "SELECT id FROM packs WHERE name = ?", inserting: "INSERT INTO packs (name) VALUES (?)",
            arguments: [name], in: db)
    }

    /// Whether the catalog lists an object.
    func isListed(_ id: ObjectID) throws -> Bool {
        try pool.read { db in try isListed(id, in: db) }
    }

    /// Whether the catalog lists an object (every listed object is referenced, so `gc` never removes it).
    func isListed(_ id: ObjectID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM objects WHERE id = ?"), arguments: [id.hex]) ?? false
    }
}

extension Catalog: ObjectLocating {
    /// The pack location of an object, or `nil` when it is loose or unknown.
    func location(of id: ObjectID) throws -> ObjectLocation? {
        try pool.read { db in try location(of: id, in: db) }
    }

    func location(of id: ObjectID, in db: Database) throws -> ObjectLocation? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT p.name, o.pack_offset, o.stored_size FROM objects o JOIN packs p ON p.id = o.pack_id WHERE o.id = ?
            """), arguments: [id.hex]
        ).map { ObjectLocation(pack: $0[0], offset: $0[1], length: $0[2]) }
    }
}

