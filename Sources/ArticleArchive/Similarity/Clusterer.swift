/// Groups articles into stories without chaining.
///
/// Articles are taken in arrival order. Each joins the existing representative it is most strongly the same story
/// as (see `ClusterThresholds`), or, when there is none, becomes a new representative. So every member is within
/// the threshold of its representative (the earliest article of the story), and A~B, B~C never pulls a distinct
/// C into A's cluster when A and C are far apart.
struct Clusterer {
    let thresholds: ClusterThresholds

    func clusters(_ articles: [ClusterCandidate], edges: [SimilarityEdge]) -> [ArticleCluster] {
        var neighbours: [Int64: [(Int64, Similarity)]] = [:]
        for edge in edges where thresholds.strength(edge.similarity) != nil {
            neighbours[edge.first, default: []].append((edge.second, edge.similarity))
            neighbours[edge.second, default: []].append((edge.first, edge.similarity))
        }
        var representativeIndex: [Int64: Int] = [:]  // representative id -> cluster index
        var groups: [(representative: ClusterCandidate, members: [(ClusterCandidate, Similarity)])] = []
        for article in articles {
            var best: (cluster: Int, strength: Double, similarity: Similarity)?
            for (other, similarity) in neighbours[article.id] ?? [] {
                guard let cluster = representativeIndex[other], let strength = thresholds.strength(similarity)
                else { continue }
                if best == nil || strength > best!.strength { best = (cluster, strength, similarity) }
            }
            if let best {
                groups[best.cluster].members.append((article, best.similarity))
            } else {
                representativeIndex[article.id] = groups.count
                groups.append((article, [(article, Similarity(jaccard: 1, containment: 1))]))
            }
        }
        return groups.enumerated().map { index, group in
            let members = group.members.map { candidate, similarity in
                ArticleCluster.Member(
                    key: candidate.key, url: candidate.url, source: candidate.source, title: candidate.title,
                    similarity: similarity.jaccard, containment: similarity.containment,
                    excerpt: similarity.jaccard < thresholds.jaccard && thresholds.isExcerpt(similarity))
            }
            let ordered = [members[0]] + members.dropFirst().sorted {
                ($0.similarity, $1.key) > ($1.similarity, $0.key)
            }
            return ArticleCluster(id: index + 1, representative: ordered[0], members: ordered)
        }
    }
}
