import ArgumentParser
import ArticleArchive
import Logging

/// The options every subcommand takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The archive folder.", valueName: "PATH"))
    var store: String = "./archive"

    @Flag(name: .long, help: "Print debug messages on standard error.")
    var verbose = false

    func open(create: Bool = false) throws -> Archive {
        var logger = Logger(label: "archive")
        logger.logLevel = verbose ? .debug : .warning
        return try Archive.open(at: store, create: create, logger: logger)
    }
}
