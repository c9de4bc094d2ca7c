import GRDB

/// The catalog's list of stored objects, and where the packed ones are.
///
/// `objects` rows follow arrival; an id's row is found through `objectIndex`, under the id's first 64 bits. Two
/// ids sharing those bits are told apart by the row itself, and an entry whose row is gone (or holds another id)
/// is passed over, so the index only has to hold every listed object, not only them.
extension Catalog {
    /// The object index's key of an id: its first 64 bits (ids are SHA-256 hashes, uniform already).
    static func objectKey(_ id: ObjectID) -> UInt64 { id.leadingBits }

    /// Lists an object unless it is listed already, and returns its row.
    /// - Parameters:
    ///   - packID: the `packs` row of the object's pack, for a packed object.
    ///   - index: the object index in this write transaction.
    func insertObject(
        _ object: ObjectStore.StoredObject, at time: Double, packID: Int64? = nil, index: RunIndexUpdate,
        in db: Database
    ) throws -> Int64 {
        if let row = try row(of: object.id, index: index, in: db) { return row }
        try db.cachedStatement(sql: """
            INSERT INTO objects (id, size, stored_size, created_at, pack_id, pack_offset) VALUES (?, ?, ?, ?, ?, ?)
            """).run {
                $0.bind(object.id)
                $0.bind(object.size)
                $0.bind(object.storedSize)
                $0.bind(time)
                $0.bind(packID)
                $0.bind(packID == nil ? nil : object.location.map { Int64($0.offset) })
            }
        let row = db.lastInsertedRowID
        index.add(article: row, keys: CollectionOfOne(Self.objectKey(object.id)))
        return row
    }

    /// The `objects` row of an id, found through `index` (the object index as `db` lists it).
    func row(of id: ObjectID, index: some RunIndexLookup, in db: Database) throws -> Int64? {
        for row in try index.articles(under: Self.objectKey(id)) {
            let listed = try db.cachedStatement(sql: "SELECT id FROM objects WHERE row = ?")
                .firstRow({ $0.bind(row) }) { $0.string(0).flatMap(ObjectID.init(hex:)) }
            if listed == id { return row }
        }
        return nil
    }

    /// The `objects` row of an id in `db`.
    func row(of id: ObjectID, in db: Database) throws -> Int64? {
        try row(of: id, index: objectIndex.reader(in: db), in: db)
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
    /// - Parameter index: the object index as `db` lists it, when the caller has it at hand.
    func isListed(_ id: ObjectID, index: RunIndexReader? = nil, in db: Database) throws -> Bool {
        try row(of: id, index: index ?? objectIndex.reader(in: db), in: db) != nil
    }

    /// Every object's row, keyed as the object index keys it: what the index holds, to rebuild it.
    static func everyObjectRow(in db: Database, _ body: (RunRecord) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT row, id FROM objects ORDER BY row")
        while let row = try rows.next() {
            guard let id = ObjectID(hex: row[1]) else { continue }
            try body(RunRecord(key: objectKey(id), article: row[0]))
        }
    }

    /// The pack location of the object in a row, or `nil` when it is loose.
    func location(ofRow row: Int64, in db: Database) throws -> ObjectLocation? {
        try db.cachedStatement(sql: """
            SELECT p.name, o.pack_offset, o.stored_size FROM objects o JOIN packs p ON p.id = o.pack_id WHERE o.row = ?
            """).firstRow({ $0.bind(row) }) { Self.packLocation(in: $0, at: 0) } ?? nil
    }

    /// The pack location a query gives as three columns from `column` on: the pack's name (`NULL` for a loose
    /// object), the object's `pack_offset` and its `stored_size`.
    static func packLocation(in row: Row, at column: Int) -> ObjectLocation? {
        (row[column] as String?).map { ObjectLocation(pack: $0, offset: row[column + 1], length: row[column + 2]) }
    }

    /// `packLocation(in:at:)` of the row a statement run directly stands on.
    static func packLocation(in columns: ColumnReader, at column: Int32) -> ObjectLocation? {
        columns.string(column).map {
            ObjectLocation(pack: $0, offset: Int(columns.int64(column + 1)), length: Int(columns.int64(column + 2)))
        }
    }
}

extension Catalog: ObjectLocating {
    /// The pack location of an object, or `nil` when it is loose or unknown.
    func location(of id: ObjectID) throws -> ObjectLocation? {
        try pool.read { db in try location(of: id, in: db) }
    }

    func location(of id: ObjectID, in db: Database) throws -> ObjectLocation? {
        guard let row = try row(of: id, in: db) else { return nil }
        return try location(ofRow: row, in: db)
    }
}
