import ArgumentParser
import ArticleArchive

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-read every object, check its hash, and check the catalog; exit 1 if anything is damaged.")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Re-derive what surviving raw bodies allow (cleaned objects, fingerprints); say what cannot be.")
    var repair = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let report = try storeOptions.open().verify(repair: repair)
        if json {
            try Output.json(report)
        } else {
            for damaged in report.damagedObjects {
                let users = damaged.referencedBy.isEmpty ? "" : " (used by \(damaged.referencedBy.joined(separator: ", ")))"
                print("damaged: object \(damaged.object) \(damaged.problem)\(users)")
            }
            for problem in report.catalogProblems { print("damaged: catalog: \(problem)") }
            for repaired in report.repaired { print("repaired: \(repaired)") }
            for lost in report.unrepairable { print("cannot repair: \(lost)") }
            print("""
                \(report.objectsChecked) objects checked, \(report.damagedObjects.count) damaged, \
                \(report.catalogProblems.count) catalog problems, \(report.unreferencedObjects) unreferenced objects, \
                \(report.unreferencedPacks) unreferenced packs
                """)
            print(report.isHealthy ? "ok" : "DAMAGED")
        }
        // Exit 0 after a repair only when every piece of damage was undone.
        let fixed = repair && report.unrepairable.isEmpty && report.catalogProblems.isEmpty
            && report.repaired.count >= report.damagedObjects.count
        if !report.isHealthy && !fixed { throw ExitCode.failure }
    }
}
