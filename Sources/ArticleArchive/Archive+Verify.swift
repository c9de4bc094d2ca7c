import Foundation

extension Archive {
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
            let bytes = cleaned.utf8
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
}
