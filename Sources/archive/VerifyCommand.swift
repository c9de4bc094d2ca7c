import ArgumentParser
import ArticleArchive

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-read every object, check its hash, and check the catalog; exit 1 if anything is damaged.")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let report = try storeOptions.open().verify()
        if json {
            try Output.json(report)
        } else {
            for damaged in report.damagedObjects {
                let users = damaged.referencedBy.isEmpty ? "" : " (used by \(damaged.referencedBy.joined(separator: ", ")))"
                print("damaged: object \(damaged.object) \(damaged.problem)\(users)")
            }
            for problem in report.catalogProblems { print("damaged: catalog: \(problem)") }
            print("""
                \(report.objectsChecked) objects checked, \(report.damagedObjects.count) damaged, \
                \(report.catalogProblems.count) catalog problems, \(report.unreferencedObjects) unreferenced objects
                """)
            print(report.isHealthy ? "ok" : "DAMAGED")
        }
        if !report.isHealthy { throw ExitCode.failure }
    }
}
