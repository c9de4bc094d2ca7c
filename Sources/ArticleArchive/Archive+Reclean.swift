import Foundation

extension Archive {
    /// Cleans existing versions again with the current cleaner and everything the archive has learned of each
    /// source's template. Raw bodies are never touched; a new cleaned text is recorded as a new cleaning of the
    /// version, and the previous one is kept.
    /// - Parameters:
    ///   - source: only versions of articles from this source; all when `nil`.
    ///   - batchSize: versions recorded per transaction.
    /// - Returns: how many versions were cleaned, how many changed, and which could not be read.
    public func reclean(source: String? = nil, batchSize: Int = 500) throws -> RecleanReport {
        var report = RecleanReport()
        var pending: [Recleaning] = []
        var touchedFolders = Set<String>()
        func commit() throws {
            guard !pending.isEmpty else { return }
            try store.syncDirectories(touchedFolders)
            try catalog.record(pending, at: Date())
            pending.removeAll(keepingCapacity: true)
            touchedFolders.removeAll(keepingCapacity: true)
        }
        for candidate in try catalog.recleanCandidates(source: source) {
            report.versions += 1
            let text: String
            do {
                text = String(decoding: try store.read(candidate.rawObject), as: UTF8.self)
            } catch {
                report.failures.append("\(candidate.key): \(error)")
                continue
            }
            let template = try candidate.source.map {
                try catalog.templateEvidence(source: $0, key: candidate.key, lines: TemplateLine.entries(of: text))
            }
            let cleaned = cleaner.clean(text, template: template ?? TemplateEvidence())
            let object = try store.write(Array(cleaned.text.utf8))
            if object.created { touchedFolders.insert(object.id.directoryName) }
            if object.id == candidate.cleanedObject {
                report.unchanged += 1
                if candidate.cleaner == cleaner.identity { continue }
            } else {
                report.changed += 1
            }
            pending.append(Recleaning(candidate: candidate, cleaned: object, title: cleaned.title, cleaner: cleaner.identity))
            if pending.count >= batchSize { try commit() }
        }
        try commit()
        return report
    }
}
