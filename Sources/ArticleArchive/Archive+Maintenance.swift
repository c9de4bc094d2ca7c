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
    /// - Parameters:
    ///   - repair: re-derive what can be re-derived from surviving raw bodies: a damaged cleaned object is
    ///     rewritten (or, when today's cleaner makes other text, recorded as a new cleaning), and the article's
    ///     fingerprint is rebuilt. A damaged raw body cannot be re-derived; it is reported as such.
    ///   - progress: called with (objects checked, objects in all).
    /// - Returns: the damage found, what was repaired, and what could not be; `isHealthy` describes the archive
    ///   as it was found.
    public func verify(repair: Bool = false, progress: (Int, Int) -> Void = { _, _ in }) throws -> VerificationReport {
        var report = try Verifier(store: store, catalog: catalog).run(progress: progress)
        if repair && !report.damagedObjects.isEmpty {
            try self.repair(&report)
        }
        return report
    }

    private func repair(_ report: inout VerificationReport) throws {
        let damaged = Set(report.damagedObjects.map(\.object))
        let candidates = try catalog.recleanCandidates(source: nil)
        for candidate in candidates where damaged.contains(candidate.rawObject) {
            report.unrepairable.append(
                "\(candidate.key) v\(candidate.number): the raw body (object \(candidate.rawObject)) is lost; "
                    + "nothing in the archive can re-derive it")
        }
        for candidate in candidates where damaged.contains(candidate.cleanedObject) {
            guard !damaged.contains(candidate.rawObject),
                  let raw = try? store.read(candidate.rawObject) else { continue }
            let text = String(decoding: raw, as: UTF8.self)
            let template = try candidate.source.map {
                try catalog.templateEvidence(source: $0, key: candidate.key, lines: TemplateLine.entries(of: text))
            }
            let cleaned = cleaner.clean(text, template: template ?? TemplateEvidence())
            let bytes = Array(cleaned.text.utf8)
            if ObjectID.forBlob(bytes) == candidate.cleanedObject {
                let stored = try store.replace(bytes)
                try store.syncDirectories([stored.id.directoryName])
                report.repaired.append("object \(stored.id): rewritten from \(candidate.key) v\(candidate.number)'s raw body")
            } else {
                let stored = try store.write(bytes)
                try store.syncDirectories([stored.id.directoryName])
                try catalog.record([Recleaning(
                    candidate: candidate, cleaned: stored, title: cleaned.title, cleaner: cleaner.identity,
                    fingerprint: nil)], at: Date())
                report.repaired.append(
                    "\(candidate.key) v\(candidate.number): cleaned text re-derived by \(cleaner.identity) as object "
                        + "\(stored.id) (the damaged object \(candidate.cleanedObject) came from an earlier cleaning)")
            }
            if candidate.isLatest {
                try catalog.reindex(candidate, fingerprint: ArticleFingerprint(text: cleaned.text))
            }
        }
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
