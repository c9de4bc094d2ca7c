import ArgumentParser
import Foundation
import ArticleArchive

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the cleaned text of each article's latest version.",
        discussion: """
            txt: one file per article in the folder --out, named from the key (a slug and a hash, never a path). \
            jsonl: one object per line in the file --out (or standard output with --out -): key, url, source, \
            title, fetched_at, version, object, text.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "txt or jsonl.")
    var format: ExportFormat = .txt

    @Option(help: ArgumentHelp("The folder (txt) or file (jsonl; - for standard output).", valueName: "PATH"))
    var out: String

    @Flag(help: "One article per story: the representative (earliest article) of each near-duplicate cluster.")
    var dedup = false

    @OptionGroup var similarity: SimilarityOptions

    @Flag(help: "No progress line (it is shown only when standard error is a terminal).")
    var quiet = false

    func run() throws {
        let archive = try storeOptions.open()
        let progress = ProgressLine(quiet: quiet)
        let started = Date()
        let report = try archive.export(
            format: format, to: out == "-" ? nil : out, deduplicatedAt: dedup ? similarity.thresholds : nil
        ) { done, total in
            progress.update(force: done == total, {
                let eta = ProgressLine.remaining(done: done, total: total, seconds: Date().timeIntervalSince(started))
                return "exported \(done) of \(total) articles, ETA \(eta)"
            }())
        }
        progress.finish()
        for failure in report.failures { Output.error("not exported: \(failure)") }
        Output.error("exported \(report.articles) articles (\(Output.bytes(report.bytes)))")
        if !report.failures.isEmpty { throw ExitCode.failure }
    }
}

extension ExportFormat: ExpressibleByArgument {}
