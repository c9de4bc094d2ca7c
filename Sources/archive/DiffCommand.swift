import ArgumentParser
import ArticleArchive

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the line diff between two versions of an article.",
        discussion: "With no versions: the latest against the one before. With one: that version against the latest.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The article key.")
    var key: String

    @Argument(help: "The older version number.")
    var old: Int?

    @Argument(help: "The newer version number.")
    var new: Int?

    @Flag(help: "Diff the cleaned texts rather than the raw bodies.")
    var cleaned = false

    func run() throws {
        let diff = try storeOptions.open().diff(key: key, from: old, to: new, cleaned: cleaned)
        let newest = new.map(String.init) ?? "latest"
        let oldest = old.map(String.init) ?? "previous"
        print(diff.unified(oldName: "\(key) v\(oldest)", newName: "\(key) v\(newest)"), terminator: "")
    }
}
