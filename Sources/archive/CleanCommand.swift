import ArgumentParser
import ArticleArchive
import Foundation

struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Print the cleaned text of one input without archiving it.",
        discussion: """
            With --source, the template the archive (--store) learned for that source is used, as ingest would. \
            --explain prints each dropped line with its reason (rule or template) on standard error.
            """)

    @Option(name: .long, help: ArgumentHelp("The archive whose learned templates to use.", valueName: "PATH"))
    var store: String = "./archive"

    @Argument(help: ArgumentHelp("A text file, or - for standard input.", valueName: "FILE"))
    var file: String

    @Option(help: "Use what the archive learned about this source's template.")
    var source: String?

    @Flag(help: "Show each dropped line and why.")
    var explain = false

    @Flag(help: "Print the text, title and every line's decision as JSON.")
    var json = false

    private struct Explained: Encodable {
        struct Line: Encodable {
            var line: Int
            var text: String
            var kept: Bool
            var reason: String?
        }
        var title: String?
        var text: String
        var lines: [Line]
    }

    func run() throws {
        let data = file == "-"
            ? (try FileHandle.standardInput.readToEnd() ?? Data())
            : try Data(contentsOf: URL(fileURLWithPath: file))
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(file == "-" ? "standard input" : file) is not UTF-8 text")
        }
        var template = TemplateEvidence()
        if let source {
            template = try Archive.open(at: store).templateEvidence(for: text, source: source)
        }
        let analysis = ChromeCleaner().analyze(text, template: template)
        if json {
            return try Output.json(Explained(
                title: analysis.title, text: analysis.text,
                lines: analysis.decisions.map {
                    .init(line: $0.lineNumber, text: $0.text, kept: $0.droppedBecause == nil,
                          reason: $0.droppedBecause?.description)
                }))
        }
        if explain {
            if let title = analysis.title { Output.error("title: \(title)") }
            for decision in analysis.decisions {
                guard let reason = decision.droppedBecause else { continue }
                Output.error("- \(decision.lineNumber): \(decision.text.prefix(100))  [\(reason)]")
            }
        }
        print(analysis.text)
    }
}
