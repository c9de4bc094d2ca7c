import ArgumentParser
import ArticleArchive
import Foundation

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Archive text files, folders, JSONL files and standard input.",
        discussion: """
            A folder is searched recursively; files ending in .jsonl or .ndjson hold one JSON object per line \
            (`text` required; `url`, `source`, `title`, `fetched_at`, `published_at`, `key` optional; other \
            fields kept as provenance); any other file is one article. `-` reads standard input.
            Rejected inputs are reported on standard error with their file and line; the rest is archived. \
            Exit status: 0 when everything was archived, 2 when some input was rejected, 1 on failure.
            """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("Files, folders, .jsonl files, or - for standard input.", valueName: "PATH"))
    var paths: [String]

    @Option(help: "The article key (one text input only; default: the URL, else derived from the input).")
    var key: String?

    @Option(help: "The article URL (one text input only).")
    var url: String?

    @Option(help: "The source of articles whose input declares none.")
    var source: String?

    @Option(name: .customLong("fetched-at"), help: "The fetch time of articles whose input declares none.")
    var fetchedAt: String?

    @Flag(help: "Read standard input as JSONL rather than as one article.")
    var jsonl = false

    @Option(help: "The largest body accepted, in bytes.")
    var maxBodyBytes: Int = 64 << 20

    @Option(help: """
        The most input units (files, JSONL lines) per batch (one pack file, one catalog transaction); batches \
        start at 64 and double.
        """)
    var batchSize: Int = IngestOptions.defaultBatchSize

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Flag(help: "No progress line (it is shown only when standard error is a terminal).")
    var quiet = false

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("Give at least one PATH (or - for standard input).") }
        guard paths.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("Standard input (-) can be read once.") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive.") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive.") }
    }

    func run() throws {
        let archive = try storeOptions.open(create: true)
        let options = IngestOptions(
            key: key, url: url, source: source, fetchedAt: fetchedAt, maximumBodyBytes: maxBodyBytes,
            batchSize: batchSize, standardInputIsJSONL: jsonl, arguments: CommandLine.arguments)
        let progress = ProgressLine(quiet: quiet)
        let total = paths.reduce(0) { sum, path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            return attributes?[.type] as? FileAttributeType == .typeRegular
                ? sum + ((attributes?[.size] as? Int) ?? 0) : sum
        }
        let report = try archive.ingest(
            paths.map(IngestInput.init(argument:)), options: options,
            onProblem: { problem in
                progress.finish()
                Output.error("rejected \(problem)")
            },
            progress: { done in
                var line = "\(done.captures) articles, \(Int(Double(done.captures) / max(done.seconds, 0.001))) articles/s, "
                    + ProgressLine.rate(done.inputBytes, done.seconds)
                if total > done.inputBytes, done.inputBytes > 0 {
                    line += String(format: ", %.0f%%, ETA ", 100 * Double(done.inputBytes) / Double(total))
                        + ProgressLine.remaining(done: done.inputBytes, total: total, seconds: done.seconds)
                }
                progress.update(line)
            })
        progress.finish()
        if json {
            try Output.json(report)
        } else {
            let rate = report.seconds > 0 ? Double(report.captures) / report.seconds : 0
            print("""
                \(report.newArticles) new articles, \(report.newVersions) new versions, \
                \(report.unchanged) unchanged, \(report.rejected) rejected
                \(report.objectsWritten) objects written, \(Output.bytes(report.storedBytes)) stored \
                for \(Output.bytes(report.bodyBytes)) of bodies, \
                \(String(format: "%.2f", report.seconds)) s (\(Int(rate)) articles/s, \
                \(ProgressLine.rate(report.bodyBytes, report.seconds)) of bodies)
                """)
        }
        if report.rejected > 0 { throw ExitCode(2) }
    }
}
