import ArgumentParser
import ArticleArchive
import Foundation

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar", abstract: "List the articles near one article, most similar first.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var similarity: SimilarityOptions

    @Argument(help: "The article key.")
    var key: String

    @Flag(help: "Print a JSON array.")
    var json = false

    func run() throws {
        let members = try storeOptions.open().similar(to: key, thresholds: similarity.thresholds)
        if json { return try Output.json(members) }
        for member in members {
            let mark = member.excerpt ? "  excerpt" : ""
            print(String(format: "%.2f  %.2f  ", member.similarity, member.containment) + member.key + mark)
        }
    }
}
