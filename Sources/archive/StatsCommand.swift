import ArgumentParser
import ArticleArchive

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Count articles, versions, captures and objects, and bytes stored vs raw.")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print the figures as JSON.")
    var json = false

    func run() throws {
        let stats = try storeOptions.open().statistics()
        if json { return try Output.json(stats) }
        let ratio = stats.storedBytes > 0 ? Double(stats.capturedBytes) / Double(stats.storedBytes) : 0
        print("""
            articles:  \(stats.articles) from \(stats.sources) sources
            versions:  \(stats.versions)
            captures:  \(stats.captures) (\(stats.unchangedCaptures) unchanged) in \(stats.ingestRuns) ingest runs
            objects:   \(stats.objects) (raw and cleaned bodies, each stored once)
            raw bytes: \(Output.bytes(stats.capturedBytes)) received, \(Output.bytes(stats.versionBytes)) in versions
            stored:    \(Output.bytes(stats.storedBytes)) compressed for \(Output.bytes(stats.objectBytes)) of \
            distinct objects (\(String(format: "%.2f", ratio))x smaller than received)
            on disk:   \(Output.bytes(stats.objectFileBytes)) of objects (packs, indexes, loose), \
            \(Output.bytes(stats.catalogFileBytes)) of catalog
            """)
    }
}
