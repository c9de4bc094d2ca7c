extension Archive {
    /// The stories in the archive: clusters of near-duplicate articles, each around its earliest article.
    /// - Parameters:
    ///   - thresholds: when two articles are the same story; any value works without re-ingesting, since
    ///     verified similarities are stored down to Jaccard 0.2 and containment 0.5.
    ///   - minimumSize: leave out clusters with fewer members (1 lists every article).
    public func clusters(
        thresholds: ClusterThresholds = .standard, minimumSize: Int = 2
    ) throws -> [ArticleCluster] {
        let edges = try catalog.similarityEdges(
            minimumJaccard: thresholds.jaccard, minimumContainment: thresholds.containment)
        let all = Clusterer(thresholds: thresholds).clusters(try catalog.clusterCandidates(), edges: edges)
        return all.filter { $0.size >= minimumSize }
    }

    /// The articles near one article, most similar first.
    /// - Throws: `ArchiveError.unknownArticle` when there is no such article.
    public func similar(to key: String, thresholds: ClusterThresholds = .standard) throws -> [ArticleCluster.Member] {
        _ = try article(key: key)
        return try catalog.similarityEdges(of: key).compactMap { candidate, similarity in
            guard thresholds.strength(similarity) != nil else { return nil }
            return ArticleCluster.Member(
                key: candidate.key, url: candidate.url, source: candidate.source, title: candidate.title,
                similarity: similarity.jaccard, containment: similarity.containment,
                excerpt: similarity.jaccard < thresholds.jaccard && thresholds.isExcerpt(similarity))
        }.sorted { ($0.similarity, $1.key) > ($1.similarity, $0.key) }
    }
}
