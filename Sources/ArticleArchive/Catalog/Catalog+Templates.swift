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
    /// - Parameters:
    ///   - isNewArticle: the article was created in this transaction (its id is above every other's).
    ///   - lineHashes: distinct (`TemplateLine.lines(of:)`'s entries), so their keys are too; a key listed twice
    ///     would still be one entry (`RunRecordSorting.sortedLatest`).
    func learnTemplate(
        source: String, articleID: Int64, isNewArticle: Bool, lineHashes: [Int64], into templates: RunIndexUpdate,
        names: RowIDCache, in db: Database
    ) throws {
        guard !lineHashes.isEmpty else { return }
        let sourceID = try names.id(of: "source", source) {
            try rowID(
                selecting: Self.selectSourceID, inserting: "INSERT INTO sources (name) VALUES (?)", arguments: [source],
                in: db)
        }
        let keys = lineHashes.map { Self.templateKey(source: sourceID, line: $0) }
        if isNewArticle {
            templates.add(article: articleID, keys: keys)
        } else {
            try templates.addEarlier(article: articleID, keys: keys)
        }
    }

    /// The template index's key of a line of a source. Distinct lines of one source have distinct keys (the
    /// finaliser is a bijection); lines of two sources collide with probability 2^-64.
    static func templateKey(source: Int64, line: Int64) -> UInt64 {
        Mix.finalize(UInt64(bitPattern: line) ^ UInt64(bitPattern: source) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// The rows of the `template_lines` table archives kept before the template index, once, to build the index
    /// from; the table goes once read.
    static func legacyTemplateLines(in db: Database, _ body: (RunRecord) throws -> Void) throws {
        guard try db.tableExists("template_lines") else { return }
        let rows = try Row.fetchCursor(db, sql: "SELECT source_id, line_hash, article_id FROM template_lines")
        while let row = try rows.next() {
            try body(RunRecord(key: templateKey(source: row[0], line: row[1]), article: row[2]))
        }
        try db.execute(sql: "DROP TABLE template_lines")
    }

    private static let selectSourceID = "SELECT id FROM sources WHERE name = ?"

    /// The id of a source, if `db` has it.
    func sourceID(_ name: String, in db: Database) throws -> Int64? {
        if let known = knownSourceIDs.withLock({ $0[name] }) { return known }
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: Self.selectSourceID), arguments: [name]) else {
            return nil
        }
        knownSourceIDs.withLock { $0[name] = id }
        return id
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
        let ownID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM articles WHERE key = ?"), arguments: [key])
        var reading = try TemplateReading(catalog: self, in: db)
        return try reading.evidence(source: source, article: ownID, lines: lines)
    }

    /// Template lookups in one state of the catalog, for many articles: the index's runs and the sources' ids are
    /// read once.
    struct TemplateReading {
        private let catalog: Catalog
        private let db: Database
        private let index: RunIndexReader
        private var sourceIDs: [String: Int64?] = [:]

        init(catalog: Catalog, in db: Database) throws {
            self.catalog = catalog
            self.db = db
            index = try catalog.templateIndex.reader(in: db)
        }

        /// `templateEvidence(source:key:lines:)` of the article with id `article` (`nil`: not in the catalog).
        mutating func evidence(source: String, article ownID: Int64?, lines: [TemplateLine.Entry]) throws
            -> TemplateEvidence
        {
            guard !lines.isEmpty else { return TemplateEvidence() }
            let sourceID: Int64?
            if let known = sourceIDs[source] {
                sourceID = known
            } else {
                sourceID = try catalog.sourceID(source, in: db)
                sourceIDs[source] = sourceID
            }
            guard let sourceID else { return TemplateEvidence() }
            // Each distinct line's holders other than the article itself (`entries` are distinct lines already).
            var holders = try index.articles(under: lines.map { Catalog.templateKey(source: sourceID, line: $0.hash) })
            if let ownID {
                for position in holders.indices {
                    if let own = holders[position].firstIndex(of: ownID) { holders[position].remove(at: own) }
                }
            }
            // The articles holding enough of this one's content lines to be the same story: each content line's
            // holders, sorted, counted by runs (a page has a few dozen lines, of at most 8 holders each).
            var contentCount = 0
            var contentHolders: [Int64] = []
            for (line, articles) in zip(lines, holders) where line.isContent {
                contentCount += 1
                contentHolders += articles
            }
            contentHolders.sort()
            let needed = max(1, Int((Double(contentCount) * TemplateLearning.sameStoryShare).rounded(.up)))
            var sameStory: [Int64] = []
            var start = 0
            while start < contentHolders.count {
                var end = start + 1
                while end < contentHolders.count && contentHolders[end] == contentHolders[start] { end += 1 }
                if end - start >= needed { sameStory.append(contentHolders[start]) }
                start = end
            }
            var template: [Int64] = []
            for (line, articles) in zip(lines, holders) where articles.count >= TemplateLearning.minimumSupport {
                let others = sameStory.isEmpty ? articles.count : articles.filter { !sameStory.contains($0) }.count
                if others >= TemplateLearning.minimumSupport { template.append(line.hash) }
            }
            return TemplateEvidence(distinctLineHashes: template)
        }
    }
}
