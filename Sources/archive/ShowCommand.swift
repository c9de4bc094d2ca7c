import ArgumentParser
import ArticleArchive

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print an article's cleaned text (or its raw body).")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The article key.")
    var key: String

    @Option(help: "The version number (default: the latest).")
    var version: Int?

    @Flag(help: "Print the body exactly as it arrived.")
    var raw = false

    @Flag(help: "Print the article, the version and the text as JSON.")
    var json = false

    private struct Shown: Encodable {
        var article: Article
        var version: ArticleVersion
        var text: String
    }

    func run() throws {
        let archive = try storeOptions.open()
        let article = try archive.article(key: key)
        let shown = try archive.version(key: key, number: version)
        let text = try archive.text(of: shown, raw: raw)
        if json { return try Output.json(Shown(article: article, version: shown, text: text)) }
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }
}
