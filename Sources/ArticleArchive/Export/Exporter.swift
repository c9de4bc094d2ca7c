import Foundation

/// Writes the cleaned text of each article's latest version, as text files or JSONL.
///
/// Files are written under a temporary name in the target folder and renamed into place, so a reader never sees
/// a half-written export file and a symbolic link planted in the target is replaced, never followed.
struct Exporter {
    let store: ObjectStore
    let articles: [String: Article]

    /// Writes one `.txt` per version into the folder `out` (created if needed).
    /// - Parameter progress: called after each article with (articles done, articles in all).
    func writeTextFiles(
        _ versions: [ArticleVersion], to out: URL, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> ExportReport {
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var report = ExportReport()
        for (index, version) in versions.enumerated() {
            defer { progress(index + 1, versions.count) }
            do {
                let text = try store.read(version.cleanedObject)
                let name = ExportFileName.make(for: version.key, extension: "txt")
                try Self.writeAtomically(Data(text + [UInt8(ascii: "\n")]), to: out.appendingPathComponent(name))
                report.articles += 1
                report.bytes += text.count
            } catch {
                report.failures.append("\(version.key) v\(version.number): \(error)")
            }
        }
        return report
    }

    /// Writes one JSON line per version to the file `out`, or to standard output when `out` is nil, streaming:
    /// chunks of versions are read and encoded on every core, and written in order.
    /// - Parameters:
    ///   - versions: each with where its cleaned object is packed, when known (no catalog lookup per object).
    ///   - progress: called after each chunk with (articles done, articles in all).
    func writeJSONL(
        _ versions: [(version: ArticleVersion, cleanedAt: ObjectLocation?)], to out: URL?,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> ExportReport {
        var report = ExportReport()
        let handle: FileHandle
        var temporary: URL?
        if let out {
            try FileManager.default.createDirectory(
                at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
            let file = Self.temporaryURL(for: out)
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: out.path])
            }
            temporary = file
            handle = try FileHandle(forWritingTo: file)
        } else {
            handle = FileHandle.standardOutput
        }
        do {
            // Chunks of a few hundred on each core, a few chunks at a time: memory stays bounded.
            let chunkSize = 256
            let chunks = stride(from: 0, to: versions.count, by: chunkSize).map { $0..<min($0 + chunkSize, versions.count) }
            var done = 0
            for group in stride(from: 0, to: chunks.count, by: 8).map({ Array(chunks[$0..<min($0 + 8, chunks.count)]) }) {
                let encoded = ParallelWork.map(group) { range in encodeJSONL(versions[range]) }
                for chunk in encoded {
                    try handle.write(contentsOf: chunk.bytes)
                    report.articles += chunk.articles
                    report.bytes += chunk.textBytes
                    report.failures += chunk.failures
                }
                done += group.reduce(0) { $0 + $1.count }
                progress(done, versions.count)
            }
            if let temporary, let out {
                try handle.synchronize()
                try handle.close()
                try Self.moveIntoPlace(temporary, out)
            }
        } catch {
            if let temporary {
                try? handle.close()
                try? FileManager.default.removeItem(at: temporary)
            }
            throw error
        }
        return report
    }

    /// JSON lines of some versions: `key`, `url`, `source`, `title`, `fetched_at`, `version`, `object`, `text`, in
    /// that order, absent values as `null`.
    private func encodeJSONL(
        _ versions: ArraySlice<(version: ArticleVersion, cleanedAt: ObjectLocation?)>
    ) -> (bytes: Data, articles: Int, textBytes: Int, failures: [String]) {
        var line = JSONLineWriter()
        var articles = 0
        var textBytes = 0
        var failures: [String] = []
        for (version, location) in versions {
            do {
                let text = try store.read(version.cleanedObject, packedAt: { location })
                let article = self.articles[version.key]
                line.beginObject()
                line.field("key", version.key)
                line.field("url", article?.url)
                line.field("source", article?.source)
                line.field("title", article?.title)
                line.field("fetched_at", version.fetchedAt)
                line.field("version", version.number)
                line.field("object", version.cleanedObject.hex)
                line.field("text", utf8: text)
                line.endObject()
                articles += 1
                textBytes += text.count
            } catch {
                failures.append("\(version.key) v\(version.number): \(error)")
            }
        }
        return (line.bytes, articles, textBytes, failures)
    }

    private static func temporaryURL(for destination: URL) -> URL {
        destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
    }

    private static func moveIntoPlace(_ temporary: URL, _ destination: URL) throws {
        guard rename(temporary.path, destination.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSFilePathErrorKey: destination.path,
                NSLocalizedDescriptionKey: "cannot write \(destination.path): \(String(cString: strerror(code)))",
            ])
        }
    }

    private static func writeAtomically(_ data: Data, to destination: URL) throws {
        let temporary = temporaryURL(for: destination)
        try data.write(to: temporary, options: [.withoutOverwriting])
        try moveIntoPlace(temporary, destination)
    }
}
