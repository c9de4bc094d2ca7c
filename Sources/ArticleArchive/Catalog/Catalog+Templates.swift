import GRDB

/// How much the catalog keeps, and needs, to call a line a site's template.
enum TemplateLearning {
    /// Articles recorded per (source, line); enough to decide, and bounded so popular lines cost nothing more.
    static let maximumArticles = 8
    /// Other, different articles of the source that must hold a line before it counts as template.
    static let minimumSupport = 2
    /// An article sharing at least this share of another's content lines is the same story (a version or a
    /// republication), and does not count as evidence against that story's body.
    static let sameStoryShare = 1.0 / 3.0
}

extension Catalog {
    /// Records that the article holds these lines (called inside the batch transaction).
    func learnTemplate(source: String, articleID: Int64, lineHashes: [Int64], in db: Database) throws {
        guard !lineHashes.isEmpty else { return }
        let sourceID = try rowID(
            selecting: Self.selectSourceID, inserting: "INSERT INTO sources (name) VALUES (?)", arguments: [source],
            in: db)
        // One statement for all the article's lines (each line's count is of other articles: the rows this
        // statement adds share the article, so the key ignores a line listed twice).
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO template_lines (source_id, line_hash, article_id)
            SELECT ?1, j.value, ?2 FROM json_each(?3) AS j
            WHERE (SELECT count(*) FROM template_lines WHERE source_id = ?1 AND line_hash = j.value) < ?4
            """).execute(arguments: [
                sourceID, articleID, Self.jsonArray(lineHashes), TemplateLearning.maximumArticles,
            ])
    }

    private static let selectSourceID = "SELECT id FROM sources WHERE name = ?"

    private func sourceID(_ name: String, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: Self.selectSourceID), arguments: [name])
    }

    /// The lines of an article that recur in at least `minimumSupport` other articles of its source that are not
    /// the same story (versions of the article itself, and republications sharing its content lines, are ignored).
    func templateEvidence(source: String, key: String, lines: [TemplateLine.Entry]) throws -> TemplateEvidence {
        try pool.read { db in try templateEvidence(source: source, key: key, lines: lines, in: db) }
    }

    /// `templateEvidence(source:key:lines:)` read in `db` (a snapshot, say).
    func templateEvidence(
        source: String, key: String, lines: [TemplateLine.Entry], in db: Database
    ) throws -> TemplateEvidence {
        guard !lines.isEmpty, let sourceID = try sourceID(source, in: db) else { return TemplateEvidence() }
        let ownID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM articles WHERE key = ?"), arguments: [key])
        var holders: [Int64: [Int64]] = [:]  // line hash -> articles holding it
        // CROSS JOIN keeps the lines as the outer loop: left to itself, SQLite scans every line of the source.
        let holdersOf = try db.cachedStatement(sql: """
            SELECT t.line_hash, t.article_id FROM json_each(?2) AS j
            CROSS JOIN template_lines AS t ON t.source_id = ?1 AND t.line_hash = j.value
            """)
        let rows = try Row.fetchCursor(holdersOf, arguments: [sourceID, Self.jsonArray(Set(lines.map(\.hash)))])
        while let row = try rows.next() {
            let article: Int64 = row[1]
            if article != ownID { holders[row[0], default: []].append(article) }
        }
        let contentHashes = lines.filter(\.isContent).map(\.hash)
        var sharedContent: [Int64: Int] = [:]
        for hash in contentHashes {
            for article in holders[hash] ?? [] { sharedContent[article, default: 0] += 1 }
        }
        let needed = max(1, Int((Double(contentHashes.count) * TemplateLearning.sameStoryShare).rounded(.up)))
        let sameStory = Set(sharedContent.filter { $0.value >= needed }.map(\.key))
        var template = Set<Int64>()
        for (hash, articles) in holders
        where articles.filter({ !sameStory.contains($0) }).count >= TemplateLearning.minimumSupport {
            template.insert(hash)
        }
        return TemplateEvidence(lineHashes: template)
    }
}
