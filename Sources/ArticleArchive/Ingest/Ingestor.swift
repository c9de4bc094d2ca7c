import Foundation
import Logging

/// Runs an ingest: reads inputs, cleans each body, stores raw and cleaned objects, and records captures in
/// catalog transactions of `batchSize` arrivals.
///
/// Objects are written (and fsynced) before the transaction that refers to them, and their folders are fsynced
/// just before it commits, so a committed capture always has its objects on disk. A crash leaves at most
/// unreferenced objects, which are harmless.
struct Ingestor {
    let store: ObjectStore
    let catalog: Catalog
    let cleaner: any ArticleCleaner
    let options: IngestOptions
    let logger: Logger
    /// Runs before each batch is recorded; tests use it to interleave a `gc` with an ingest.
    var beforeEachCommit: () throws -> Void = {}

    func run(_ inputs: [IngestInput], onProblem: (InputProblem) -> Void) throws -> IngestReport {
        let started = Date()
        var report = IngestReport()
        let run = try catalog.beginRun(arguments: options.arguments, at: started)
        var batch: [PreparedCapture] = []
        var reused: [(object: ObjectID, body: [UInt8])] = []  // objects found already stored, with their bytes
        var touchedFolders = Set<String>()
        let validator = BodyValidator(maximumBytes: options.maximumBodyBytes)
        let reader = InputReader(validator: validator, standardInputIsJSONL: options.standardInputIsJSONL)

        func commit() throws {
            guard !batch.isEmpty else { return }
            try beforeEachCommit()
            try store.syncDirectories(touchedFolders)
            let outcomes = try catalog.record(batch, run: run, at: Date()) {
                // `archive gc` deletes unreferenced objects only while holding this lock: one this batch found
                // already stored may have been collected since, and is written again before anything refers to it.
                var restored = Set<String>()
                for (object, body) in reused where !store.contains(object) {
                    let stored = try store.write(body)
                    restored.insert(stored.id.directoryName)
                }
                try store.syncDirectories(restored)
            }
            for outcome in outcomes {
                switch outcome {
                case .newArticle: report.newArticles += 1
                case .newVersion: report.newVersions += 1
                case .unchanged: report.unchanged += 1
                }
            }
            logger.debug("committed \(batch.count) captures of run \(run)")
            batch.removeAll(keepingCapacity: true)
            reused.removeAll(keepingCapacity: true)
            touchedFolders.removeAll(keepingCapacity: true)
        }

        try reader.read(inputs) { result in
            switch result {
            case .failure(let problem):
                report.rejected += 1
                onProblem(problem)
            case .success(let submission):
                let (capture, cleanedBytes) = try prepare(submission)
                for (object, body) in [(capture.raw, submission.bodyBytes), (capture.cleaned, cleanedBytes)] {
                    if object.created {
                        report.objectsWritten += 1
                        report.storedBytes += object.storedSize
                        touchedFolders.insert(object.id.directoryName)
                    } else {
                        reused.append((object.id, body))
                    }
                }
                report.bodyBytes += capture.raw.size
                batch.append(capture)
                if batch.count >= options.batchSize { try commit() }
            }
        }
        try commit()
        try catalog.finishRun(run, at: Date())
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    private func prepare(_ submission: Submission) throws -> (PreparedCapture, cleanedBytes: [UInt8]) {
        var declared = submission.declared
        declared.key = declared.key ?? options.key
        declared.url = declared.url ?? options.url
        declared.source = declared.source ?? options.source
        declared.fetchedAt = declared.fetchedAt ?? options.fetchedAt
        let key = ArticleIdentity.key(declared: declared, derived: submission.derivedKey)
        let source = ArticleIdentity.source(declared: declared, fallback: submission.fallbackSource)
        // A re-fetch of the latest version (the common case) reuses that version's cleaned text instead of
        // cleaning again. Should another process add a version before this batch commits, the capture is still
        // right: its cleaned text and fingerprint are those of this very body.
        if let latest = try catalog.latestObjects(key: key), latest.raw == ObjectID.forBlob(submission.bodyBytes),
           let cleanedBytes = try? store.read(latest.cleaned) {
            let capture = PreparedCapture(
                key: key, declared: declared, source: source, origin: submission.origin,
                inputSHA256: submission.inputSHA256, raw: try store.write(submission.bodyBytes),
                cleaned: try store.write(cleanedBytes), cleanedTitle: latest.title, cleaner: latest.cleaner,
                templateLines: [], fingerprint: ArticleFingerprint(text: String(decoding: cleanedBytes, as: UTF8.self)))
            return (capture, cleanedBytes)
        }
        let lines = TemplateLine.entries(of: submission.body)
        let template = try source.map { try catalog.templateEvidence(source: $0, key: key, lines: lines) }
        let cleaned = cleaner.clean(submission.body, template: template ?? TemplateEvidence())
        let raw = try store.write(submission.bodyBytes)
        let cleanedBytes = Array(cleaned.text.utf8)
        let cleanedObject = try store.write(cleanedBytes)
        let capture = PreparedCapture(
            key: key, declared: declared, source: source, origin: submission.origin,
            inputSHA256: submission.inputSHA256, raw: raw, cleaned: cleanedObject, cleanedTitle: cleaned.title,
            cleaner: cleaner.identity, templateLines: lines.map(\.hash), fingerprint: ArticleFingerprint(text: cleaned.text))
        return (capture, cleanedBytes)
    }
}
