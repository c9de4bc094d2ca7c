/// A run index as one state of the catalog lists it: answers which articles are under a key.
struct RunIndexReader: Sendable {
    let index: RunIndex
    let runs: [RunIndex.ListedRun]

    /// Of each article with records under `key`, whether it is under it (the newest record decides).
    func membership(of key: UInt64) throws -> [Int64: Bool] {
        var members: [Int64: Bool] = [:]
        for listed in runs {
            for record in try listed.run.records(of: key) { members[record.article] = !record.isTombstone }
        }
        return members
    }

    /// The articles under `key`, lowest id first (at most `keepPerKey` of them, when the index bounds them).
    func articles(under key: UInt64) throws -> [Int64] {
        Self.articles(in: try membership(of: key), keeping: index.keepPerKey)
    }

    static func articles(in membership: [Int64: Bool], keeping limit: Int?) -> [Int64] {
        let articles = membership.compactMap { $0.value ? $0.key : nil }.sorted()
        guard let limit, articles.count > limit else { return articles }
        return Array(articles.prefix(limit))
    }
}
