import Foundation

extension Archive {
    /// Writes the cleaned text of every article's latest version.
    /// - Parameters:
    ///   - format: text files in a folder, or one JSONL file.
    ///   - out: the folder (txt) or file (jsonl); `nil` writes JSONL to standard output.
    ///   - deduplicatedAt: when given, only one article per story: each cluster's representative.
    /// - Returns: what was written, and each article that could not be (a damaged object, say).
    public func export(
        format: ExportFormat, to out: String?, deduplicatedAt thresholds: ClusterThresholds? = nil
    ) throws -> ExportReport {
        var versions = try catalog.latestVersions()
        if let thresholds {
            let representatives = Set(try clusters(thresholds: thresholds, minimumSize: 1).map(\.representative.key))
            versions = versions.filter { representatives.contains($0.key) }
        }
        let articles = Dictionary(try catalog.articles().map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let exporter = Exporter(store: store, articles: articles)
        switch format {
        case .txt:
            guard let out else { throw ArchiveError.invalidOptions("a txt export needs --out FOLDER") }
            return try exporter.writeTextFiles(versions, to: URL(fileURLWithPath: out))
        case .jsonl:
            return try exporter.writeJSONL(versions, to: out.map { URL(fileURLWithPath: $0) })
        }
    }

    /// Checks every object and the catalog.
    /// - Parameter progress: called with (objects checked, objects in all).
    /// - Returns: the damage found; `isHealthy` is true when there is none.
    public func verify(progress: (Int, Int) -> Void = { _, _ in }) throws -> VerificationReport {
        try Verifier(store: store, catalog: catalog).run(progress: progress)
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
