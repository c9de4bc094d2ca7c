import ArgumentParser
import ArticleArchive

/// The thresholds of `clusters`, `similar` and `export --dedup`.
struct SimilarityOptions: ParsableArguments {
    @Option(help: "Jaccard similarity at or above which two articles are one story (default 0.4).")
    var threshold: Double = ClusterThresholds.standard.jaccard

    @Option(help: "Containment at or above which a shorter article is an excerpt of a longer one (default 0.9).")
    var containment: Double = ClusterThresholds.standard.containment

    func validate() throws {
        guard (0.2...1).contains(threshold) else { throw ValidationError("--threshold must be between 0.2 and 1.") }
        guard (0.5...1).contains(containment) else {
            throw ValidationError("--containment must be between 0.5 and 1.")
        }
    }

    var thresholds: ClusterThresholds { ClusterThresholds(jaccard: threshold, containment: containment) }
}
