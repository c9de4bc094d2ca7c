import ArgumentParser
import ArticleArchive

struct RecleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclean",
        abstract: "Clean archived versions again with the current cleaner and the templates learned since.",
        discussion: "Raw bodies are never touched; each new cleaned text is recorded beside the previous one.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Only articles from this source.")
    var source: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let report = try storeOptions.open().reclean(source: source)
        for failure in report.failures { Output.error("not recleaned: \(failure)") }
        if json { return try Output.json(report) }
        print("\(report.versions) versions recleaned: \(report.changed) changed, \(report.unchanged) unchanged, "
            + "\(report.failures.count) failed")
        if !report.failures.isEmpty { throw ExitCode.failure }
    }
}
