import GRDB

/// The catalog's tables, created and evolved by GRDB migrations.
///
/// - `objects`: every stored object (raw or cleaned body), its length, its compressed length, and for a packed
///   object its pack (`packs`) and offset; rows in arrival order, found by id through the `object` run index.
/// - `articles`: one row per logical article (its key: URL, explicit key or input-derived key).
/// - `versions`: each distinct raw body an article had, numbered from 1, with its raw object's id and row (not
///   indexed by object: nothing looks a version up that way).
/// - `cleanings`: each cleaned text derived from a version (its object's id and row), with the cleaner that made
///   it; the newest is current.
/// - `captures`: every arrival of an article, changed or not, with its provenance and outcome.
/// - `ingest_runs`: one row per `archive ingest`, with the tool version and the arguments.
/// - `template_lines`, `sources`: for each source, which articles hold each normalised line (the learned site
///   template).
/// - `fingerprints`, `similarity_edges`: the near-duplicate index of each article's latest version; `lsh_runs` and
///   `lsh_retired_runs` list the files of its LSH buckets (see `RunIndex`).
/// - `object_runs`, `object_retired_runs`: the files of the index from object ids to `objects` rows.
enum CatalogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: objects, articles, versions, cleanings, captures") { db in
            try db.execute(sql: """
                CREATE TABLE objects (
                    id TEXT PRIMARY KEY NOT NULL,
                    size INTEGER NOT NULL,
                    stored_size INTEGER NOT NULL,
                    created_at REAL NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE cleaners (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    version TEXT NOT NULL,
                    UNIQUE (name, version)
                );

                CREATE TABLE ingest_runs (
                    id INTEGER PRIMARY KEY,
                    started_at REAL NOT NULL,
                    finished_at REAL,
                    tool_version TEXT NOT NULL,
                    arguments TEXT NOT NULL
                );

                CREATE TABLE articles (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    url TEXT,
                    source TEXT,
                    title TEXT,
                    first_seen_at REAL NOT NULL,
                    last_seen_at REAL NOT NULL
                );

                CREATE TABLE versions (
                    id INTEGER PRIMARY KEY,
                    article_id INTEGER NOT NULL REFERENCES articles(id),
                    number INTEGER NOT NULL CHECK (number >= 1),
                    raw_object TEXT NOT NULL REFERENCES objects(id),
                    created_at REAL NOT NULL,
                    UNIQUE (article_id, number)
                );
                CREATE INDEX versions_by_raw_object ON versions(raw_object);

                CREATE TABLE cleanings (
                    id INTEGER PRIMARY KEY,
                    version_id INTEGER NOT NULL REFERENCES versions(id),
                    object TEXT NOT NULL REFERENCES objects(id),
                    cleaner_id INTEGER NOT NULL REFERENCES cleaners(id),
                    title TEXT,
                    created_at REAL NOT NULL
                );
                CREATE INDEX cleanings_by_version ON cleanings(version_id, id);
                CREATE INDEX cleanings_by_object ON cleanings(object);

                CREATE TABLE captures (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES ingest_runs(id),
                    article_id INTEGER NOT NULL REFERENCES articles(id),
                    version_id INTEGER NOT NULL REFERENCES versions(id),
                    outcome TEXT NOT NULL CHECK (outcome IN ('new-article', 'new-version', 'unchanged')),
                    captured_at REAL NOT NULL,
                    input_kind TEXT NOT NULL,
                    input_path TEXT,
                    input_line INTEGER,
                    input_sha256 TEXT NOT NULL,
                    body_size INTEGER NOT NULL,
                    url TEXT,
                    source TEXT,
                    title TEXT,
                    fetched_at TEXT,
                    published_at TEXT,
                    extra TEXT
                );
                CREATE INDEX captures_by_article ON captures(article_id, id);
                CREATE INDEX captures_by_version ON captures(version_id, id);
                """)
        }
        migrator.registerMigration("v2: per-source template lines") { db in
            // Which articles of a source contain each normalised line (at most `TemplateLearning.maximumArticles`
            // per line): lines that recur across different articles are the site's template.
            try db.execute(sql: """
                CREATE TABLE template_lines (
                    source TEXT NOT NULL,
                    line_hash INTEGER NOT NULL,
                    article_id INTEGER NOT NULL REFERENCES articles(id),
                    PRIMARY KEY (source, line_hash, article_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3: fingerprints, LSH buckets, verified similarity edges") { db in
            try db.execute(sql: """
                CREATE TABLE fingerprints (
                    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
                    version_id INTEGER NOT NULL REFERENCES versions(id),
                    shingle_count INTEGER NOT NULL,
                    shingles BLOB NOT NULL
                );

                CREATE TABLE lsh_buckets (
                    band INTEGER NOT NULL,
                    bucket INTEGER NOT NULL,
                    article_id INTEGER NOT NULL REFERENCES articles(id),
                    PRIMARY KEY (band, bucket, article_id)
                ) WITHOUT ROWID;
                CREATE INDEX lsh_buckets_by_article ON lsh_buckets(article_id);

                CREATE TABLE similarity_edges (
                    a INTEGER NOT NULL REFERENCES articles(id),
                    b INTEGER NOT NULL REFERENCES articles(id),
                    jaccard REAL NOT NULL,
                    containment REAL NOT NULL,
                    PRIMARY KEY (a, b),
                    CHECK (a < b)
                ) WITHOUT ROWID;
                CREATE INDEX similarity_edges_by_b ON similarity_edges(b);
                """)
        }
        migrator.registerMigration("v4: pack locations, compact fingerprints and template lines") { db in
            // Objects an ingest stores in batches live in pack files; a loose object has no pack. A `packs` row is
            // written with the first batch that refers to the pack, so a pack without one was never committed.
            // Shingle sets are derived from the cleaned text when a candidate pair is verified, instead of being
            // kept (they were 40% of the catalog); each fingerprint keeps its LSH buckets (42 x 8 bytes), which
            // replaces an index of lsh_buckets by article (twice that size).
            try db.execute(sql: """
                CREATE TABLE packs (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                );
                ALTER TABLE objects ADD COLUMN pack_id INTEGER REFERENCES packs(id);
                ALTER TABLE objects ADD COLUMN pack_offset INTEGER;
                ALTER TABLE fingerprints DROP COLUMN shingles;
                ALTER TABLE fingerprints ADD COLUMN buckets BLOB;
                """)
            var article: Int64 = -1
            var buckets: [Int64] = []
            let store = try db.makeStatement(sql: "UPDATE fingerprints SET buckets = ? WHERE article_id = ?")
            func flush() throws {
                if article >= 0 { try store.execute(arguments: [LSHBucketList.encode(buckets), article]) }
            }
            let rows = try Row.fetchCursor(db, sql: "SELECT article_id, bucket FROM lsh_buckets ORDER BY article_id, band")
            while let row = try rows.next() {
                if row[0] as Int64 != article {
                    try flush()
                    article = row[0]
                    buckets = []
                }
                buckets.append(row[1])
            }
            try flush()
            try db.execute(sql: "DROP INDEX lsh_buckets_by_article")
            // Template lines name their source by a small integer instead of repeating its name in every row.
            try db.execute(sql: """
                CREATE TABLE sources (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                );
                INSERT INTO sources (name) SELECT DISTINCT source FROM template_lines ORDER BY source;
                CREATE TABLE template_lines_by_source_id (
                    source_id INTEGER NOT NULL REFERENCES sources(id),
                    line_hash INTEGER NOT NULL,
                    article_id INTEGER NOT NULL REFERENCES articles(id),
                    PRIMARY KEY (source_id, line_hash, article_id)
                ) WITHOUT ROWID;
                INSERT INTO template_lines_by_source_id
                    SELECT s.id, t.line_hash, t.article_id FROM template_lines t JOIN sources s ON s.name = t.source;
                DROP TABLE template_lines;
                ALTER TABLE template_lines_by_source_id RENAME TO template_lines;
                """)
        }
        migrator.registerMigration("v5: LSH buckets and template lines in sorted runs") { db in
            // Both move to sorted run files (`RunIndex`), built by the next write: the LSH buckets from
            // `fingerprints`, the template lines from `template_lines`, which goes then.
            try db.execute(sql: "DROP TABLE lsh_buckets")
            try db.execute(sql: RunIndex.schema(name: "lsh"))
            try db.execute(sql: RunIndex.schema(name: "template"))
        }
        migrator.registerMigration("v6: no indexes by object id on versions and cleanings") { db in
            // No query looks versions or cleanings up by object (gc and verify scan them whole), and as B-trees
            // keyed by random hashes they cost every ingested article two page writes scattered over the file.
            try db.execute(sql: "DROP INDEX versions_by_raw_object")
            try db.execute(sql: "DROP INDEX cleanings_by_object")
        }
        migrator.registerMigration("v7: objects in arrival order, found by id through a run index") { db in
            // Keyed by id (a random hash), `objects` cost every article two page writes scattered over a B-tree
            // that outgrew any cache: two thirds of the 38 GB a million-article ingest wrote. Rows now follow
            // arrival, the `object` run index finds an id's row, and versions and cleanings refer to rows (the
            // ids stay beside them, as what users see). The index is built by the next write.
            try db.execute(sql: """
                CREATE TABLE objects_v7 (
                    row INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    stored_size INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    pack_id INTEGER REFERENCES packs(id),
                    pack_offset INTEGER
                );
                INSERT INTO objects_v7 (id, size, stored_size, created_at, pack_id, pack_offset)
                    SELECT id, size, stored_size, created_at, pack_id, pack_offset FROM objects
                    ORDER BY created_at, id;
                CREATE INDEX objects_v7_by_id ON objects_v7(id);

                CREATE TABLE versions_v7 (
                    id INTEGER PRIMARY KEY,
                    article_id INTEGER NOT NULL REFERENCES articles(id),
                    number INTEGER NOT NULL CHECK (number >= 1),
                    raw_object TEXT NOT NULL,
                    raw_row INTEGER NOT NULL REFERENCES objects(row),
                    created_at REAL NOT NULL,
                    UNIQUE (article_id, number)
                );
                INSERT INTO versions_v7 (id, article_id, number, raw_object, raw_row, created_at)
                    SELECT v.id, v.article_id, v.number, v.raw_object, o.row, v.created_at
                    FROM versions v JOIN objects_v7 o ON o.id = v.raw_object;

                CREATE TABLE cleanings_v7 (
                    id INTEGER PRIMARY KEY,
                    version_id INTEGER NOT NULL REFERENCES versions(id),
                    object TEXT NOT NULL,
                    object_row INTEGER NOT NULL REFERENCES objects(row),
                    cleaner_id INTEGER NOT NULL REFERENCES cleaners(id),
                    title TEXT,
                    created_at REAL NOT NULL
                );
                INSERT INTO cleanings_v7 (id, version_id, object, object_row, cleaner_id, title, created_at)
                    SELECT c.id, c.version_id, c.object, o.row, c.cleaner_id, c.title, c.created_at
                    FROM cleanings c JOIN objects_v7 o ON o.id = c.object;

                DROP TABLE cleanings;
                DROP TABLE versions;
                DROP TABLE objects;
                DROP INDEX objects_v7_by_id;
                ALTER TABLE objects_v7 RENAME TO objects;
                ALTER TABLE versions_v7 RENAME TO versions;
                ALTER TABLE cleanings_v7 RENAME TO cleanings;
                CREATE INDEX cleanings_by_version ON cleanings(version_id, id);
                """)
            try db.execute(sql: RunIndex.schema(name: "object"))
        }
        return migrator
    }
}
