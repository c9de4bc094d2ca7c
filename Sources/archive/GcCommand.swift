import ArgumentParser
import ArticleArchive

struct GcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove objects no version refers to (left by interrupted ingests), after a grace period.",
        discussion: "Safe while ingests run: see the README. Referenced objects and their history are never touched.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Keep unreferenced objects used within this many seconds.")
    var grace: Double = 3600

    @Flag(help: "Only count what would be removed.")
    var dryRun = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard grace >= 0 else { throw ValidationError("--grace must not be negative.") }
    }

    func run() throws {
        let report = try storeOptions.open().collectGarbage(grace: grace, dryRun: dryRun)
        if json { return try Output.json(report) }
        print("\(dryRun ? "would remove" : "removed") \(report.objects) unreferenced objects, "
            + "\(report.packs) unreferenced packs (\(Output.bytes(report.bytes))) and \(report.temporaryFiles) temporary files; "
            + "kept \(report.keptYoung) used within the grace period")
    }
}
