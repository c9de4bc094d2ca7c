import Foundation
import GRDB

/// A version as `reclean` sees it: where its raw body is and what cleaned it last.
struct RecleanCandidate: Sendable {
    var versionID: Int64
    var articleID: Int64
    var number: Int
    var key: String
    var source: String?
    var isLatest: Bool
    var rawObject: ObjectID
    var cleanedObject: ObjectID
    var cleaner: CleanerIdentity
}

/// A new cleaning of an existing version, ready to be recorded.
struct Recleaning: Sendable {
    var candidate: RecleanCandidate
    var cleaned: ObjectStore.StoredObject
    var title: String?
    var cleaner: CleanerIdentity
    /// The new cleaned text's fingerprint, when the version is its article's latest (the one indexed).
    var fingerprint: ArticleFingerprint?
}

extension Catalog {
    /// Every version (of one source, or all), with its current cleaning, in key and version order.
    func recleanCandidates(source: String?) throws -> [RecleanCandidate] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT v.id, a.id, v.number, a.key, a.source,
                    v.number = (SELECT max(number) FROM versions WHERE article_id = a.id),
                    v.raw_object, cg.object, cl.name, cl.version
                FROM versions v
                JOIN articles a ON a.id = v.article_id
                JOIN cleanings cg ON cg.id = (SELECT max(id) FROM cleanings WHERE version_id = v.id)
                JOIN cleaners cl ON cl.id = cg.cleaner_id
                WHERE ?1 IS NULL OR a.source = ?1
                ORDER BY a.key, v.number
                """, arguments: [source]
            ).map { row in
                RecleanCandidate(
                    versionID: row[0], articleID: row[1], number: row[2], key: row[3], source: row[4],
                    isLatest: row[5], rawObject: ObjectID(hex: row[6])!, cleanedObject: ObjectID(hex: row[7])!,
                    cleaner: CleanerIdentity(name: row[8], version: row[9]))
            }
        }
    }

    /// Records new cleanings in one transaction (older cleanings stay, as history), and gives an article whose
    /// inputs never declared a title the headline its latest version's cleaning found.
    func record(_ recleanings: [Recleaning], at date: Date, beforeRecording: () throws -> Void = {}) throws {
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try beforeRecording()
                let lsh = try lshIndex.update(in: db)
                let objectUpdate = try objectIndex.update(in: db)
                let time = date.timeIntervalSince1970
                for recleaning in recleanings {
                    let row = try insertObject(recleaning.cleaned, at: time, index: objectUpdate, in: db)
                    try insertCleaning(
                        of: recleaning.candidate.versionID, object: recleaning.cleaned.id, row: row,
                        title: recleaning.title, cleaner: recleaning.cleaner, at: time, in: db)
                    if let fingerprint = recleaning.fingerprint {
                        try index(fingerprint, article: recleaning.candidate.articleID,
                                  version: recleaning.candidate.versionID, lsh: lsh, in: db)
                    }
                    guard recleaning.candidate.isLatest, let title = recleaning.title else { continue }
                    try db.cachedStatement(sql: """
                        UPDATE articles SET title = ?
                        WHERE key = ? AND NOT EXISTS (
                            SELECT 1 FROM captures c WHERE c.article_id = articles.id AND c.title IS NOT NULL)
                        """).execute(arguments: [title, recleaning.candidate.key])
                }
                try lsh.finish(in: db)
                try objectUpdate.finish(in: db)
                return .commit
            }
        }
    }

    /// Rebuilds an article's near-duplicate index entry from its latest version's cleaned text.
    func reindex(_ candidate: RecleanCandidate, fingerprint: ArticleFingerprint) throws {
        try withWriteLock { db in
            let lsh = try lshIndex.update(in: db)
            try index(fingerprint, article: candidate.articleID, version: candidate.versionID, lsh: lsh, in: db)
            try lsh.finish(in: db)
        }
    }
}
