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

    /// An excerpt is at most this share of the full story's length; two articles of about the same length that
    /// fall short of the Jaccard threshold are different texts, however much they share.
    static let excerptSizeRatio = 0.8

    /// Whether a pair is the same story, and how strongly: its Jaccard similarity, or its containment when only
    /// that qualifies (an excerpt); `nil` when it is not.
    func strength(_ similarity: Similarity) -> Double? {
        if similarity.jaccard >= jaccard { return similarity.jaccard }
        if isExcerpt(similarity) { return similarity.containment * jaccard }
        return nil
    }

    /// Whether the smaller article of a pair is an excerpt of the larger one.
    func isExcerpt(_ similarity: Similarity) -> Bool {
        similarity.containment >= containment && similarity.sizeRatio <= Self.excerptSizeRatio
    }
}
