import ArgumentParser
import ArticleArchive

@main
struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "A deduplicating, versioned archive of news articles.",
        discussion: """
            Bodies are stored once each, zlib-compressed, in a content-addressed object store that git can read \
            (the archive folder is a bare SHA-256 git directory); versions, captures and provenance are kept in \
            a SQLite catalog beside it.
            """,
        version: ArticleArchiveVersion.string,
        subcommands: [
            IngestCommand.self, ListCommand.self, ShowCommand.self, LogCommand.self, DiffCommand.self,
            StatsCommand.self, ExportCommand.self, VerifyCommand.self, CleanCommand.self, RecleanCommand.self,
            ClustersCommand.self, SimilarCommand.self, GcCommand.self,
        ]
    )
}
