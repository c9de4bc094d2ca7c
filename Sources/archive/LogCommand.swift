import ArgumentParser
import ArticleArchive

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show an article's versions and every capture, with provenance.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The article key.")
    var key: String

    @Flag(help: "Print an object with a `versions` array and a `captures` array.")
    var json = false

    private struct History: Encodable {
        var article: Article
        var versions: [ArticleVersion]
        var captures: [Capture]
    }

    func run() throws {
        let archive = try storeOptions.open()
        let history = History(
            article: try archive.article(key: key), versions: try archive.versions(key: key),
            captures: try archive.captures(key: key))
        if json { return try Output.json(history) }
        print("\(history.article.key)  \(history.article.title ?? "")")
        print("versions:")
        for version in history.versions {
            print("  v\(version.number)  \(Output.date(version.createdAt))  raw \(version.rawObject) "
                + "(\(version.rawSize) B)  cleaned \(version.cleanedObject) (\(version.cleanedSize) B, "
                + "\(version.cleaner))")
        }
        print("captures:")
        for capture in history.captures {
            let fetched = capture.declared.fetchedAt.map { "  fetched \($0)" } ?? ""
            print("  \(Output.date(capture.capturedAt))  v\(capture.version)  \(capture.outcome.rawValue)  "
                + "\(capture.origin)  sha256 \(capture.inputSHA256.prefix(16))…\(fetched)  "
                + "archive \(capture.toolVersion) run \(capture.run)")
        }
    }
}
