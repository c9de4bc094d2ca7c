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
        var reused: [(object: ObjectID, body: [UInt8])] = []
        var touchedFolders = Set<String>()
        func commit() throws {
            guard !pending.isEmpty else { return }
            try store.syncDirectories(touchedFolders)
            try catalog.record(pending, at: Date()) {
                // As in ingest: an object found already stored may have been collected by `gc` since.
                for (object, body) in reused where !store.contains(object) {
                    try store.syncDirectories([try store.write(body).id.directoryName])
                }
            }
            pending.removeAll(keepingCapacity: true)
            reused.removeAll(keepingCapacity: true)
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
            let bytes = cleaned.utf8
            let object = try store.write(bytes)
            if object.created { touchedFolders.insert(object.id.directoryName) } else { reused.append((object.id, bytes)) }
            if object.id == candidate.cleanedObject {
                report.unchanged += 1
                if candidate.cleaner == cleaner.identity { continue }
            } else {
                report.changed += 1
            }
            let changedLatest = candidate.isLatest && object.id != candidate.cleanedObject
            pending.append(Recleaning(
                candidate: candidate, cleaned: object, title: cleaned.title, cleaner: cleaner.identity,
                fingerprint: changedLatest ? ArticleFingerprint(text: cleaned.text) : nil))
            if pending.count >= batchSize { try commit() }
        }
        try commit()
        return report
    }
}
