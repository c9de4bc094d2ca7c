import ArgumentParser
import ArticleArchive

struct ClustersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "List the stories: clusters of near-duplicate articles around their earliest article.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var similarity: SimilarityOptions

    @Option(help: "Only clusters with at least this many articles.")
    var minSize: Int = 2

    @Flag(help: "Print a JSON array of clusters.")
    var json = false

    func run() throws {
        let clusters = try storeOptions.open().clusters(thresholds: similarity.thresholds, minimumSize: minSize)
        if json { return try Output.json(clusters) }
        for cluster in clusters {
            print("cluster \(cluster.id) (\(cluster.size) articles): \(cluster.representative.title ?? cluster.representative.key)")
            for member in cluster.members {
                let mark = member.excerpt ? "  excerpt" : ""
                print("  \(String(format: "%.2f", member.similarity))  \(member.key)\(mark)")
            }
        }
        print("\(clusters.count) clusters")
    }
}
