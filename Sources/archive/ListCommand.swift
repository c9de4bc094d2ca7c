import ArgumentParser
import ArticleArchive

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the archived articles, by key.")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print a JSON array of articles.")
    var json = false

    func run() throws {
        let articles = try storeOptions.open().articles()
        if json { return try Output.json(articles) }
        for article in articles {
            let title = article.title.map { "  \($0)" } ?? ""
            print("\(article.key)  v\(article.versions)  \(article.captures)×  \(article.source ?? "-")\(title)")
        }
    }
}
