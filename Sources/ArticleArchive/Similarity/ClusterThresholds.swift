/// When two articles are the same story.
public struct ClusterThresholds: Sendable, Equatable {
    /// Jaccard similarity of their shingle sets at or above which two articles are one story.
    public var jaccard: Double
    /// Containment at or above which the smaller article is an excerpt of the larger (one story too).
    public var containment: Double

    /// Chosen by measurement on benchmarks/dedup_quality.py's corpus (see the README).
    public static let standard = ClusterThresholds(jaccard: 0.4, containment: 0.9)

    /// Creates thresholds.
    public init(jaccard: Double, containment: Double = ClusterThresholds.standard.containment) {
        self.jaccard = jaccard
        self.containment = containment
    }

    /// Whether a pair is the same story, and how strongly: its Jaccard similarity, or its containment when only
    /// that qualifies (an excerpt); `nil` when it is not.
    func strength(_ similarity: Similarity) -> Double? {
        if similarity.jaccard >= jaccard { return similarity.jaccard }
        if similarity.containment >= containment { return similarity.containment * jaccard }
        return nil
    }
}
