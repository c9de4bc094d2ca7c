import GRDB

/// A batch of arrivals made ready to record: the captures, the objects to pack, and the objects the catalog
/// already lists (with their bytes, should one have to be written again).
struct PreparedBatch: Sendable {
    var captures: [PreparedCapture] = []
    var newObjects: [PackedObject] = []
    var listedObjects: [(id: ObjectID, body: [UInt8])] = []
    var bodyBytes = 0
    var inputBytes = 0
    /// The inputs of the batch that were rejected, in input order.
    var problems: [InputProblem] = []
}

/// The CPU work of an ingest: resolves each arrival to its article, cleans it with what the catalog knows of its
/// source's template, hashes and compresses what is not stored yet, and fingerprints it, on every core.
///
/// It reads the catalog in a snapshot, so what a batch learns from earlier ones does not depend on how far the
/// writer has got: the results are the same however the threads are scheduled.
struct CapturePreparer: Sendable {
    let store: ObjectStore
    let catalog: Catalog
    let cleaner: any ArticleCleaner
    let options: IngestOptions

    /// An arrival resolved to its article.
    fileprivate struct Arrival: Sendable {
        var submission: Submission
        var key: String
        var declared: DeclaredMetadata
        var source: String?
        var rawID: ObjectID
    }

    /// What the catalog snapshot says about an arrival.
    private struct Context: Sendable {
        /// The arrival's article, if the snapshot has it.
        var articleID: Int64?
        /// The article's latest version, when its raw body is this arrival's (a re-fetch of it).
        var unchangedLatest: Catalog.LatestObjects?
        var template = TemplateEvidence()
        /// The body's distinct lines, learned as evidence of its source's template (none without a source, and
        /// none for a re-fetch of the latest version, which teaches nothing new).
        var lines: [TemplateLine.Entry] = []
        var rawListed = false
    }

    /// Arrivals prepared together by one thread: small enough that the threads finish a batch at about the same
    /// time (a fixed half each left one core idle while the other finished), large enough that the readers each
    /// piece opens cost nothing.
    static let piece = 16

    /// A batch's arrivals read (JSONL lines parsed), checked and resolved to their articles, with their bodies'
    /// object ids, in pieces: the part of preparing that needs no catalog. Each arrival is taken out by the thread
    /// that prepares its piece, so it is let go as soon as it is prepared, not when the batch is.
    final class ResolvedBatch: Sendable {
        fileprivate let arrivals: OnceSlots<Result<Arrival, InputProblem>>
        /// The arrivals' indices, piece by piece.
        let pieces: [Range<Int>]
        /// The arrivals of all the pieces.
        var arrivalCount: Int { arrivals.count }

        fileprivate init(count: Int) {
            arrivals = OnceSlots(count: count)
            pieces = stride(from: 0, to: count, by: CapturePreparer.piece).map {
                $0..<min($0 + CapturePreparer.piece, count)
            }
        }
    }

    /// Reads and resolves a batch's arrivals (`ResolvedBatch`), a piece per thread at a time.
    func resolve(_ units: [IngestUnit], on workers: WorkerThreads) -> ResolvedBatch {
        let batch = ResolvedBatch(count: units.count)
        _ = workers.map(batch.pieces) { range in
            for index in range { batch.arrivals.fill(index, with: units[index].resolved().map(resolve)) }
        }
        return batch
    }

    /// Prepares resolved arrivals (`resolve(_:on:)`), each taken once.
    /// - Parameters:
    ///   - pool: snapshots of one state of the catalog (taken together, with no commit between).
    ///   - workers: the threads that do the work.
    ///   - codes: the Huffman codes to compress new bodies with (fitted to an earlier batch's), if any.
    func prepare(
        _ resolved: ResolvedBatch, seeing pool: SnapshotPool, on workers: WorkerThreads, codes: HuffmanCodes? = nil
    ) throws -> PreparedBatch {
        // Arrivals and what they become are moved from slot to slot, never copied (see `OnceSlots`).
        let arrivals = resolved.arrivals
        let prepared = OnceSlots<Result<(capture: PreparedCapture, objects: PreparedObjects), InputProblem>>(
            count: resolved.arrivalCount)
        // Each piece is prepared by one thread, in whichever snapshot is free, which also finds its near-duplicate
        // candidates.
        let failures = workers.map(resolved.pieces) { range -> (any Error)? in
            do {
                try pool.read { db in
                    let lsh = try catalog.lshIndex.reader(in: db)
                    var templates = try Catalog.TemplateReading(catalog: catalog, in: db)
                    let objectIndex = try catalog.objectIndex.reader(in: db)
                    let keys = range.compactMap { index in arrivals.peek(index) { try? $0.get().key } }
                    let latest = try catalog.latestObjects(keys: Set(keys), in: db)
                    for index in range {
                        switch arrivals.take(index) {
                        case .failure(let problem):
                            prepared.fill(index, with: .failure(problem))
                        case .success(let arrival):
                            let context = try context(
                                of: arrival, latest: latest[arrival.key], templates: &templates,
                                objectIndex: objectIndex, in: db)
                            var made = try prepare(
                                arrival, context, objectIndex: objectIndex, codes: codes, in: db)
                            if context.unchangedLatest == nil {
                                // A damaged index run is the writer's to repair; it then looks candidates up itself.
                                made.capture.neighbours = try? catalog.neighbours(
                                    of: made.capture.fingerprint.made(readingFrom: store), own: context.articleID,
                                    lsh: lsh, in: db)
                            }
                            prepared.fill(index, with: .success(made))
                        }
                    }
                }
                return nil
            } catch {
                return error
            }
        }
        var batch = PreparedBatch()
        batch.captures.reserveCapacity(resolved.arrivalCount)
        for (range, failure) in zip(resolved.pieces, failures) {
            if let failure { throw failure }
            for index in range {
                switch prepared.take(index) {
                case .failure(let problem):
                    batch.problems.append(problem)
                case .success(let (capture, objects)):
                    batch.captures.append(capture)
                    batch.newObjects += objects.newObjects
                    batch.listedObjects += objects.listedObjects
                    batch.bodyBytes += objects.bodyBytes
                    batch.inputBytes += objects.inputBytes
                }
            }
        }
        return batch
    }

    private func resolve(_ submission: Submission) -> Arrival {
        var declared = submission.declared
        declared.key = declared.key ?? options.key
        declared.url = declared.url ?? options.url
        declared.source = declared.source ?? options.source
        declared.fetchedAt = declared.fetchedAt ?? options.fetchedAt
        return Arrival(
            submission: submission, key: ArticleIdentity.key(declared: declared, derived: submission.derivedKey),
            declared: declared, source: ArticleIdentity.source(declared: declared, fallback: submission.fallbackSource),
            rawID: submission.withBodyBytes { ObjectID.forBlob($0) })
    }

    /// - Parameter latest: the latest objects of the arrival's article, if the snapshot has it.
    private func context(
        of arrival: Arrival, latest: Catalog.LatestObjects?, templates: inout Catalog.TemplateReading,
        objectIndex: RunIndexReader, in db: Database
    ) throws -> Context {
        var context = Context()
        context.articleID = latest?.article
        if let latest, latest.raw == arrival.rawID {
            context.unchangedLatest = latest
            context.rawListed = true
            return context
        }
        if let source = arrival.source {
            let lines = TemplateLine.lines(of: arrival.submission.body)
            context.lines = lines.entries
            do {
                context.template = try templates.evidence(
                    source: source, article: context.articleID, lines: lines.entries)
                context.template.keepLineHashes(lines.hashesByLine, ofTextOfLength: arrival.submission.bodyByteCount)
            } catch is StoreError {
                // A damaged template run: this batch's writer drops it; the page is cleaned by rules alone (and
                // `reclean` can redo it once the template is relearned).
            }
        }
        context.rawListed = try catalog.isListed(arrival.rawID, index: objectIndex, in: db)
        return context
    }

    /// What an arrival made ready brings beside its capture: the objects to pack, and the objects it uses that
    /// are listed. (Kept apart from the capture, so that each moves where it goes: taking a field out of a struct
    /// copies it.)
    private struct PreparedObjects: Sendable {
        var newObjects: [PackedObject] = []
        var listedObjects: [(id: ObjectID, body: [UInt8])] = []
        var bodyBytes: Int
        var inputBytes: Int
    }

    private func prepare(
        _ arrival: Arrival, _ context: Context, objectIndex: RunIndexReader, codes: HuffmanCodes?, in db: Database
    ) throws -> (capture: PreparedCapture, objects: PreparedObjects) {
        let body = Array(arrival.submission.body.utf8)
        // A re-fetch of the latest version (the common case) reuses that version's cleaned text instead of cleaning
        // again, without reading it. Should a version arrive meanwhile, the capture is still right: its cleaned text
        // and fingerprint (made then) are those of this very body. The text needs no copy to restore: the catalog
        // refers to it, and `gc` never removes what it refers to.
        if let latest = context.unchangedLatest {
            let capture = capture(
                of: arrival, cleaned: latest.cleaned, cleanedSize: latest.cleanedSize, title: latest.title,
                cleaner: latest.cleaner, templateLines: [],
                fingerprint: .ofCleanedObject(latest.cleaned, at: latest.cleanedAt))
            return (capture, PreparedObjects(
                listedObjects: [(arrival.rawID, body)], bodyBytes: body.count,
                inputBytes: arrival.submission.inputBytes))
        }
        let cleaned = cleaner.clean(arrival.submission.body, template: context.template)
        let cleanedBytes = cleaned.utf8
        let cleanedID = ObjectID.forBlob(cleanedBytes)
        let capture = capture(
            of: arrival, cleaned: cleanedID, cleanedSize: cleanedBytes.count, title: cleaned.title,
            cleaner: cleaner.identity, templateLines: context.lines.map(\.hash),
            fingerprint: .made(cleaned.wordHashes.map(ArticleFingerprint.init(wordHashes:))
                ?? ArticleFingerprint(text: cleaned.text)))
        var prepared = PreparedObjects(bodyBytes: body.count, inputBytes: arrival.submission.inputBytes)
        if context.rawListed {
            prepared.listedObjects.append((arrival.rawID, body))
        } else {
            prepared.newObjects.append(PackedObject(id: arrival.rawID, body: body, codes: codes))
        }
        if cleanedID != arrival.rawID {
            if try catalog.isListed(cleanedID, index: objectIndex, in: db) {
                prepared.listedObjects.append((cleanedID, cleanedBytes))
            } else {
                // The cleaned text is the raw body less some lines: a delta against it, when it goes in the same pack.
                prepared.newObjects.append(context.rawListed
                    ? PackedObject(id: cleanedID, body: cleanedBytes, codes: codes)
                    : PackedObject(
                        id: cleanedID, body: cleanedBytes, deltaAgainst: (arrival.rawID, body),
                        pieces: cleaned.spans.map { ($0.source, $0.offset) }, codes: codes))
            }
        }
        return (capture, prepared)
    }

    private func capture(
        of arrival: Arrival, cleaned: ObjectID, cleanedSize: Int, title: String?, cleaner: CleanerIdentity,
        templateLines: [Int64], fingerprint: PreparedFingerprint
    ) -> PreparedCapture {
        let submission = arrival.submission
        return PreparedCapture(
            key: arrival.key, declared: arrival.declared, source: arrival.source, origin: submission.origin,
            inputSHA256: submission.inputSHA256,
            raw: .init(id: arrival.rawID, size: submission.bodyByteCount, storedSize: 0, created: false),
            cleaned: .init(id: cleaned, size: cleanedSize, storedSize: 0, created: false),
            cleanedTitle: title, cleaner: cleaner, templateLines: templateLines, fingerprint: fingerprint)
    }
}
