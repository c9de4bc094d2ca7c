import Foundation
import Logging

/// An article archive: a content-addressed object store (a bare SHA-256 git directory) and its SQLite catalog.
///
/// The one entry point of the library: open an archive, ingest into it, query it, export from it, verify it.
public final class Archive: Sendable {
    /// The version of this tool, recorded with every ingest run.
    public static let toolVersion = ArticleArchiveVersion.string

    /// The archive folder.
    public let directory: URL
    /// The object store.
    public let store: ObjectStore
    let catalog: Catalog
    /// The cleaner used for new versions.
    public let cleaner: any ArticleCleaner
    let logger: Logger

    private init(directory: URL, catalog: Catalog, cleaner: any ArticleCleaner, logger: Logger) {
        self.directory = directory
        self.store = ObjectStore(directory: directory, locator: catalog)
        self.catalog = catalog
        self.cleaner = cleaner
        self.logger = logger
    }

    /// Opens the archive at `path`.
    /// - Parameters:
    ///   - path: the archive folder.
    ///   - create: create the archive when the folder is missing, empty, or holds only a README.
    ///   - cleaner: the cleaner for new versions.
    ///   - logger: where debug messages go.
    /// - Throws: `ArchiveError.noArchive` when there is none and `create` is false; `StoreError.notAnArchive` when
    ///   the folder holds something else.
    public static func open(
        at path: String, create: Bool = false, cleaner: any ArticleCleaner = ChromeCleaner(),
        logger: Logger = Logger(label: "ArticleArchive")
    ) throws -> Archive {
        try open(
            at: path, create: create, cleaner: cleaner, logger: logger,
            backgroundMergeEntries: RunIndex.defaultBackgroundMergeEntries)
    }

    /// `open(at:create:cleaner:logger:)`, with the catalog's indexes merging in the background from
    /// `backgroundMergeEntries` entries (tests make it small, to have an ingest of a few hundred articles do it).
    static func open(
        at path: String, create: Bool, cleaner: any ArticleCleaner = ChromeCleaner(),
        logger: Logger = Logger(label: "ArticleArchive"), backgroundMergeEntries: Int
    ) throws -> Archive {
        _ = ProcessMemory.configured
        let directory = URL(fileURLWithPath: path).standardizedFileURL
        let catalogPath = directory.appendingPathComponent(Catalog.fileName).path
        if !GitRepositoryLayout.exists(at: directory) {
            guard create else { throw ArchiveError.noArchive(path: path) }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try GitRepositoryLayout.create(at: directory)
        }
        try GitRepositoryLayout.validate(at: directory)
        if !create && !FileManager.default.fileExists(atPath: catalogPath) {
            throw ArchiveError.noArchive(path: path)
        }
        let catalog = try Catalog(
            path: catalogPath, objects: ObjectStore(directory: directory),
            backgroundMergeEntries: backgroundMergeEntries)
        return Archive(directory: directory, catalog: catalog, cleaner: cleaner, logger: logger)
    }

    // MARK: - Ingest

    /// Ingests files, folders, JSONL files and standard input.
    /// - Parameters:
    ///   - inputs: what to read.
    ///   - options: overrides and limits.
    ///   - onProblem: called for each rejected input unit; the ingest goes on with the rest.
    ///   - progress: called after each committed batch.
    /// - Returns: counts of new articles, new versions, unchanged and rejected arrivals.
    /// - Throws: `ArchiveError.invalidOptions` before anything is read when the options do not fit the inputs;
    ///   a store or catalog error when the archive itself cannot be written (batches already committed stay).
    public func ingest(
        _ inputs: [IngestInput], options: IngestOptions = IngestOptions(),
        onProblem: (InputProblem) -> Void = { _ in }, progress: (IngestProgress) -> Void = { _ in }
    ) throws -> IngestReport {
        if options.key != nil || options.url != nil {
            let single = inputs.count == 1 && {
                switch inputs[0] {
                case .standardInput: return !options.standardInputIsJSONL
                case .path(let path):
                    var isDirectory: ObjCBool = false
                    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                        && !isDirectory.boolValue
                        && !InputReader.jsonlExtensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased())
                }
            }()
            guard single else {
                throw ArchiveError.invalidOptions("--key and --url name one article: give them with one text file or -")
            }
        }
        let ingestor = Ingestor(store: store, catalog: catalog, cleaner: cleaner, options: options, logger: logger)
        return try ingestor.run(inputs, onProblem: onProblem, progress: progress)
    }

    // MARK: - Queries

    /// Every article, ordered by key.
    public func articles() throws -> [Article] {
        try catalog.articles()
    }

    /// The article with `key`.
    /// - Throws: `ArchiveError.unknownArticle` when there is none.
    public func article(key: String) throws -> Article {
        guard let article = try catalog.article(key: key) else { throw ArchiveError.unknownArticle(key: key) }
        return article
    }

    /// Every version of an article, oldest first.
    /// - Throws: `ArchiveError.unknownArticle` when there is no such article.
    public func versions(key: String) throws -> [ArticleVersion] {
        let versions = try catalog.versions(key: key)
        guard !versions.isEmpty else { throw ArchiveError.unknownArticle(key: key) }
        return versions
    }

    /// One version of an article (the latest when `number` is nil).
    /// - Throws: `ArchiveError.unknownArticle` or `.unknownVersion`.
    public func version(key: String, number: Int? = nil) throws -> ArticleVersion {
        let versions = try versions(key: key)
        guard let number else { return versions[versions.count - 1] }
        guard let version = versions.first(where: { $0.number == number }) else {
            throw ArchiveError.unknownVersion(key: key, number: number, latest: versions.count)
        }
        return version
    }

    /// Every capture of an article, in arrival order.
    /// - Throws: `ArchiveError.unknownArticle` when there is no such article.
    public func captures(key: String) throws -> [Capture] {
        _ = try article(key: key)
        return try catalog.captures(key: key)
    }

    /// The text of a version: cleaned, or exactly as it arrived when `raw` is true.
    /// - Throws: `ArchiveError` for an unknown article or version; `StoreError` when the object is damaged.
    public func text(of version: ArticleVersion, raw: Bool = false) throws -> String {
        let bytes = try store.read(raw ? version.rawObject : version.cleanedObject)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Counts and sizes over the whole archive.
    public func statistics() throws -> CatalogStatistics {
        var statistics = try catalog.statistics()
        statistics.objectFileBytes = Self.fileBytes(under: store.objectsDirectory)
        statistics.catalogFileBytes = ["", "-wal"].reduce(0) { sum, suffix in
            let path = directory.appendingPathComponent(Catalog.fileName + suffix).path
            return sum + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        return statistics
    }

    private static func fileBytes(under folder: URL) -> Int {
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey]) else {
            return 0
        }
        var total = 0
        for case let file as URL in files {
            total += (try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        }
        return total
    }

    /// The line diff between two versions of an article (raw bodies, or cleaned text when `cleaned` is true).
    /// - Parameters:
    ///   - old: the older version; by default the one before `new`.
    ///   - new: the newer version; by default the latest.
    /// - Throws: `ArchiveError` for an unknown article or version, `StoreError` for a damaged object.
    public func diff(key: String, from old: Int? = nil, to new: Int? = nil, cleaned: Bool = false) throws -> LineDiff {
        let newVersion = try version(key: key, number: new)
        let oldVersion = try version(key: key, number: old ?? max(1, newVersion.number - 1))
        return LineDiff(
            old: try text(of: oldVersion, raw: !cleaned), new: try text(of: newVersion, raw: !cleaned))
    }
}

extension Archive {
    /// What the archive has learned of a source's template, applied to one body.
    /// - Parameters:
    ///   - text: the body.
    ///   - source: the source whose template to use.
    ///   - key: the article's key, if it is (or will be) archived: its own versions are not evidence.
    public func templateEvidence(for text: String, source: String, key: String = "") throws -> TemplateEvidence {
        try catalog.templateEvidence(source: source, key: key, lines: TemplateLine.entries(of: text))
    }
}
