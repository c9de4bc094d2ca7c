/// Answers which articles are under a key: one state of a run index (`RunIndexReader`), or a write transaction's
/// view of it (`RunIndexUpdate`).
protocol RunIndexLookup {
    /// The articles under `key`, lowest id first.
    func articles(under key: UInt64) throws -> [Int64]
}

/// A run index as one state of the catalog lists it: answers which articles are under a key.
struct RunIndexReader: RunIndexLookup, Sendable {
    let index: RunIndex
    let runs: [RunIndex.ListedRun]

    /// The records of `key` in every run, oldest run first (each run's in article order).
    func records(of key: UInt64) throws -> [RunRecord] {
        var records: [RunRecord] = []
        let mixed = RunBloomFilter.mix(key)
        for listed in runs { try listed.run.forEachRecord(of: key, mixed: mixed) { records.append($0) } }
        return records
    }

    /// The articles under each of `keys`, lowest id first (as `articles(under:)` answers for each): the keys are
    /// looked up run by run, all of them in one run before the next (see `SortedRun.forEachRecord(ofEach:)`).
    func articles(under keys: [UInt64]) throws -> [[Int64]] {
        var answers = [[Int64]](repeating: [], count: keys.count)
        // The keys without a cached answer, and where each goes among the answers.
        var lookedUp: [UInt64] = []
        var positions: [Int] = []
        lookedUp.reserveCapacity(keys.count)
        positions.reserveCapacity(keys.count)
        index.saturatedArticles(under: keys) { position, cached in
            if let cached {
                answers[position] = cached
            } else {
                lookedUp.append(keys[position])
                positions.append(position)
            }
        }
        guard !lookedUp.isEmpty else { return answers }
        var records = [[RunRecord]](repeating: [], count: lookedUp.count)
        let mixed = lookedUp.map(RunBloomFilter.mix)
        try lookedUp.withUnsafeBufferPointer { lookedUp in
            try mixed.withUnsafeBufferPointer { mixed in
                for listed in runs {
                    try listed.run.forEachRecord(ofEach: lookedUp, mixed: mixed) { records[$0].append($1) }
                }
            }
        }
        for (found, position) in zip(records, positions) where !found.isEmpty {
            answers[position] = answer(found, under: keys[position])
        }
        return answers
    }

    /// The articles `records` (all of `key`'s) place under `key`, noted for the saturated keys' cache.
    private func answer(_ records: [RunRecord], under key: UInt64) -> [Int64] {
        let articles = Self.articles(in: records, pending: nil, keeping: index.keepPerKey)
        index.noteArticles(articles, under: key)
        return articles
    }

    /// Of each article with records under `key`, whether it is under it (the newest record decides).
    func membership(of key: UInt64) throws -> [Int64: Bool] {
        var members: [Int64: Bool] = [:]
        for record in try records(of: key) { members[record.article] = !record.isTombstone }
        return members
    }

    /// The articles under `key`, lowest id first (at most `keepPerKey` of them, when the index bounds them).
    func articles(under key: UInt64) throws -> [Int64] {
        if let cached = index.saturatedArticles(under: key) { return cached }
        return answer(try records(of: key), under: key)
    }

    /// The articles records place under a key, lowest id first, at most `limit`: of an article's records, the
    /// last one decides (records are given oldest first), then `pending` changes (article -> whether under it).
    static func articles(in records: [RunRecord], pending: [Int64: Bool]?, keeping limit: Int?) -> [Int64] {
        var articles: [Int64]
        if pending == nil, records.allSatisfy({ !$0.isTombstone }), isStrictlyAscending(records) {
            // One run holds the key (the common case): its records are distinct articles in order.
            articles = records.map(\.article)
        } else {
            var membership: [Int64: Bool] = [:]
            for record in records { membership[record.article] = !record.isTombstone }
            if let pending { membership.merge(pending) { $1 } }
            articles = membership.compactMap { $0.value ? $0.key : nil }.sorted()
        }
        guard let limit, articles.count > limit else { return articles }
        return Array(articles.prefix(limit))
    }

    private static func isStrictlyAscending(_ records: [RunRecord]) -> Bool {
        var previous = Int64.min
        for record in records {
            guard record.article > previous else { return false }
            previous = record.article
        }
        return true
    }
}
