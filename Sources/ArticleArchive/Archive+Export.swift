import Foundation

extension Archive {
    /// Writes the cleaned text of every article's latest version.
    /// - Parameters:
    ///   - format: text files in a folder, or one JSONL file.
    ///   - out: the folder (txt) or file (jsonl); `nil` writes JSONL to standard output.
    ///   - deduplicatedAt: when given, only one article per story: each cluster's representative.
    ///   - progress: called after each article with (articles done, articles in all).
    /// - Returns: what was written, and each article that could not be (a damaged object, say).
    public func export(
        format: ExportFormat, to out: String?, deduplicatedAt thresholds: ClusterThresholds? = nil,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> ExportReport {
        var versions = try catalog.latestVersionsWithLocations()
        if let thresholds {
            let representatives = Set(try clusters(thresholds: thresholds, minimumSize: 1).map(\.representative.key))
            versions = versions.filter { representatives.contains($0.version.key) }
        }
        let articles = Dictionary(try catalog.articles().map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let exporter = Exporter(store: store, articles: articles)
        switch format {
        case .txt:
            guard let out else { throw ArchiveError.invalidOptions("a txt export needs --out FOLDER") }
            return try exporter.writeTextFiles(versions.map(\.version), to: URL(fileURLWithPath: out), progress: progress)
        case .jsonl:
            return try exporter.writeJSONL(versions, to: out.map { URL(fileURLWithPath: $0) }, progress: progress)
        }
    }
}
