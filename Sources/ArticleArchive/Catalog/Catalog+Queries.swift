import Foundation
import GRDB

extension Catalog {
    // MARK: - Articles

    private static let articleSelect = """
        SELECT a.key, a.url, a.source, a.title, a.first_seen_at, a.last_seen_at,
            (SELECT count(*) FROM versions v WHERE v.article_id = a.id),
            (SELECT count(*) FROM captures c WHERE c.article_id = a.id)
        FROM articles a
        """

    /// Every article, ordered by key.
    func articles() throws -> [Article] {
        try pool.read { db in
            try Row.fetchAll(db, sql: Self.articleSelect + " ORDER BY a.key").map(Self.article(from:))
        }
    }

    /// The article with `key`, if any.
    func article(key: String) throws -> Article? {
        try pool.read { db in
            try Row.fetchOne(db, sql: Self.articleSelect + " WHERE a.key = ?", arguments: [key]).map(Self.article(from:))
        }
    }

    private static func article(from row: Row) -> Article {
        Article(
            key: row[0], url: row[1], source: row[2], title: row[3], versions: row[6], captures: row[7],
            firstSeenAt: Date(timeIntervalSince1970: row[4]), lastSeenAt: Date(timeIntervalSince1970: row[5]))
    }

    // MARK: - Versions

    private static let versionSelect = """
        SELECT a.key, v.number, v.raw_object, ro.size, cg.object, co.size, cl.name, cl.version, cg.title,
            v.created_at,
            (SELECT c.fetched_at FROM captures c
             WHERE c.version_id = v.id AND c.fetched_at IS NOT NULL ORDER BY c.id DESC LIMIT 1),
            cg.object_row
        FROM versions v
        JOIN articles a ON a.id = v.article_id
        JOIN objects ro ON ro.row = v.raw_row
        JOIN cleanings cg ON cg.id = (SELECT max(id) FROM cleanings WHERE version_id = v.id)
        JOIN cleaners cl ON cl.id = cg.cleaner_id
        JOIN objects co ON co.row = cg.object_row
        """

    /// Every version of the article with `key`, oldest first.
    func versions(key: String) throws -> [ArticleVersion] {
        try pool.read { db in
            try Row.fetchAll(db, sql: Self.versionSelect + " WHERE a.key = ? ORDER BY v.number", arguments: [key])
                .map(Self.version(from:))
        }
    }

    /// The latest version of every article, ordered by key (what export writes).
    func latestVersions() throws -> [ArticleVersion] {
        try pool.read { db in
            try Row.fetchAll(db, sql: Self.versionSelect + """
                 WHERE v.number = (SELECT max(number) FROM versions WHERE article_id = a.id) ORDER BY a.key
                """).map(Self.version(from:))
        }
    }

    /// `latestVersions()` with where each cleaned object is packed (`nil` for a loose one), so reading them
    /// asks the catalog nothing more.
    func latestVersionsWithLocations() throws -> [(version: ArticleVersion, cleanedAt: ObjectLocation?)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT q.*, p.name, co2.pack_offset, co2.stored_size FROM (
                """ + Self.versionSelect + """
                 WHERE v.number = (SELECT max(number) FROM versions WHERE article_id = a.id)) q
                JOIN objects co2 ON co2.row = q.object_row
                LEFT JOIN packs p ON p.id = co2.pack_id
                ORDER BY q.key
                """).map { row in
                (Self.version(from: row), Self.packLocation(in: row, at: 12))
            }
        }
    }

    private static func version(from row: Row) -> ArticleVersion {
        ArticleVersion(
            key: row[0], number: row[1], rawObject: ObjectID(hex: row[2])!, rawSize: row[3],
            cleanedObject: ObjectID(hex: row[4])!, cleanedSize: row[5],
            cleaner: CleanerIdentity(name: row[6], version: row[7]).description, cleanedTitle: row[8],
            createdAt: Date(timeIntervalSince1970: row[9]), fetchedAt: row[10])
    }

    /// The raw and current cleaned object of an article's latest version (with where the cleaned one is packed),
    /// the cleaning's title and cleaner: what an ingest needs to see that an arrival is unchanged without cleaning
    /// it again.
    struct LatestObjects: Sendable {
        var article: Int64
        var raw: ObjectID
        var cleaned: ObjectID
        var cleanedAt: ObjectLocation?
        /// The cleaned text's length in bytes.
        var cleanedSize: Int
        var title: String?
        var cleaner: CleanerIdentity
    }

    /// `LatestObjects` of the articles with these keys, by key (keys not in the catalog left out): one statement
    /// for a piece of arrivals, where one per arrival cost more in preparing, binding and stepping than its
    /// lookups.
    func latestObjects(keys: some Collection<String>, in db: Database) throws -> [String: LatestObjects] {
        guard !keys.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        let statement = try db.cachedStatement(sql: """
            SELECT a.key, v.raw_object, cg.object, cg.title, cl.name, cl.version, a.id, p.name, co.pack_offset,
                co.stored_size, co.size
            FROM articles a
            JOIN versions v ON v.id = (SELECT id FROM versions WHERE article_id = a.id ORDER BY number DESC LIMIT 1)
            JOIN cleanings cg ON cg.id = (SELECT max(id) FROM cleanings WHERE version_id = v.id)
            JOIN cleaners cl ON cl.id = cg.cleaner_id
            JOIN objects co ON co.row = cg.object_row
            LEFT JOIN packs p ON p.id = co.pack_id
            WHERE a.key IN (\(placeholders))
            """)
        var latest: [String: LatestObjects] = [:]
        latest.reserveCapacity(keys.count)
        // Bound and read straight through SQLite (`Statement+Direct`): GRDB's arguments and rows were half the
        // cost of this lookup, run for every piece of every batch.
        try statement.forEachRow({ binder in for key in keys { binder.bind(key) } }) { row in
            guard let key = row.string(0), let raw = row.string(1).flatMap(ObjectID.init(hex:)),
                  let cleaned = row.string(2).flatMap(ObjectID.init(hex:)),
                  let name = row.string(4), let version = row.string(5)
            else { return }
            latest[key] = LatestObjects(
                article: row.int64(6), raw: raw, cleaned: cleaned, cleanedAt: Self.packLocation(in: row, at: 7),
                cleanedSize: Int(row.int64(10)), title: row.string(3),
                cleaner: CleanerIdentity(name: name, version: version))
        }
        return latest
    }

    // MARK: - Captures

    /// Every capture of the article with `key`, in the order they were recorded.
    func captures(key: String) throws -> [Capture] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.key, v.number, c.outcome, c.captured_at, c.input_kind, c.input_path, c.input_line,
                    c.input_sha256, c.body_size, c.url, c.source, c.title, c.fetched_at, c.published_at, c.extra,
                    r.tool_version, r.id
                FROM captures c
                JOIN articles a ON a.id = c.article_id
                JOIN versions v ON v.id = c.version_id
                JOIN ingest_runs r ON r.id = c.run_id
                WHERE a.key = ? ORDER BY c.id
                """, arguments: [key]
            ).map { row in
                Capture(
                    key: row[0], version: row[1], outcome: CaptureOutcome(rawValue: row[2]) ?? .unchanged,
                    capturedAt: Date(timeIntervalSince1970: row[3]),
                    origin: InputOrigin(kind: InputOrigin.Kind(rawValue: row[4]) ?? .file, path: row[5], line: row[6]),
                    inputSHA256: row[7], bodySize: row[8],
                    declared: DeclaredMetadata(
                        url: row[9], source: row[10], title: row[11], fetchedAt: row[12], publishedAt: row[13],
                        extra: row[14]),
                    toolVersion: row[15], run: row[16])
            }
        }
    }

    // MARK: - Statistics

    /// Counts and sizes over the whole catalog.
    func statistics() throws -> CatalogStatistics {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT
                    (SELECT count(*) FROM articles),
                    (SELECT count(*) FROM versions),
                    (SELECT count(*) FROM captures),
                    (SELECT count(*) FROM captures WHERE outcome = 'unchanged'),
                    (SELECT count(*) FROM objects),
                    (SELECT coalesce(sum(size), 0) FROM objects),
                    (SELECT coalesce(sum(stored_size), 0) FROM objects),
                    (SELECT coalesce(sum(body_size), 0) FROM captures),
                    (SELECT coalesce(sum(o.size), 0) FROM versions v JOIN objects o ON o.row = v.raw_row),
                    (SELECT count(DISTINCT source) FROM articles),
                    (SELECT count(*) FROM ingest_runs)
                """)!
            return CatalogStatistics(
                articles: row[0], versions: row[1], captures: row[2], unchangedCaptures: row[3], objects: row[4],
                objectBytes: row[5], storedBytes: row[6], capturedBytes: row[7], versionBytes: row[8],
                sources: row[9], ingestRuns: row[10])
        }
    }

    // MARK: - Consistency

    /// Every object the catalog lists, with its expected length and where it is packed (`nil`: loose).
    func catalogedObjects() throws -> [(id: String, size: Int, location: ObjectLocation?)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.id, o.size, p.name, o.pack_offset, o.stored_size FROM objects o
                LEFT JOIN packs p ON p.id = o.pack_id ORDER BY o.id
                """).map { ($0[0], $0[1], Self.packLocation(in: $0, at: 2)) }
        }
    }

    /// Who refers to each object: `key vN raw` or `key vN cleaned`.
    func objectReferences() throws -> [String: [String]] {
        try pool.read { db in
            var references: [String: [String]] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT v.raw_object, a.key, v.number, 'raw' FROM versions v JOIN articles a ON a.id = v.article_id
                UNION ALL
                SELECT cg.object, a.key, v.number, 'cleaned' FROM cleanings cg
                JOIN versions v ON v.id = cg.version_id JOIN articles a ON a.id = v.article_id
                """)
            for row in rows {
                let object: String = row[0]
                references[object, default: []].append("\(row[1] as String) v\(row[2] as Int) \(row[3] as String)")
            }
            return references
        }
    }

    /// Problems SQLite itself finds: page corruption, broken foreign keys, rows that reference nothing.
    func integrityProblems() throws -> [String] {
        try pool.read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            problems += try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
                "catalog row \(row[0] as String) #\(row[1] as Int64? ?? -1) refers to a missing \(row[2] as String) row"
            }
            problems += try Row.fetchAll(db, sql: """
                SELECT a.key FROM articles a WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.article_id = a.id)
                """).map { "article \($0[0] as String) has no version" }
            problems += try Row.fetchAll(db, sql: """
                SELECT a.key, v.number FROM versions v JOIN articles a ON a.id = v.article_id
                WHERE NOT EXISTS (SELECT 1 FROM cleanings c WHERE c.version_id = v.id)
                """).map { "\($0[0] as String) v\($0[1] as Int) has no cleaned text" }
            problems += try Row.fetchAll(db, sql: """
                SELECT a.key, v.number, v.raw_object, o.id FROM versions v JOIN articles a ON a.id = v.article_id
                JOIN objects o ON o.row = v.raw_row WHERE o.id != v.raw_object
                UNION ALL
                SELECT a.key, v.number, cg.object, o.id FROM cleanings cg JOIN versions v ON v.id = cg.version_id
                JOIN articles a ON a.id = v.article_id JOIN objects o ON o.row = cg.object_row WHERE o.id != cg.object
                """).map { "\($0[0] as String) v\($0[1] as Int) names object \($0[2] as String) and points at the row of \($0[3] as String)" }
            problems += try String.fetchAll(db, sql: "SELECT id FROM objects GROUP BY id HAVING count(*) > 1")
                .map { "object \($0) is listed more than once" }
            return problems
        }
    }
}
