import Foundation

/// Writes the cleaned text of each article's latest version, as text files or JSONL.
///
/// Files are written under a temporary name in the target folder and renamed into place, so a reader never sees
/// a half-written export file and a symbolic link planted in the target is replaced, never followed.
struct Exporter {
    let store: ObjectStore
    let articles: [String: Article]

    private struct Record: Encodable {
        var key: String
        var url: String?
        var source: String?
        var title: String?
        var fetched_at: String?
        var version: Int
        var object: String
        var text: String

        func encode(to encoder: any Encoder) throws {
            // Explicit, so absent fields are written as null and every record has the same fields.
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(url, forKey: .url)
            try container.encode(source, forKey: .source)
            try container.encode(title, forKey: .title)
            try container.encode(fetched_at, forKey: .fetched_at)
            try container.encode(version, forKey: .version)
            try container.encode(object, forKey: .object)
            try container.encode(text, forKey: .text)
        }

        enum CodingKeys: String, CodingKey { case key, url, source, title, fetched_at, version, object, text }
    }

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

    /// Writes one JSON line per version to the file `out`, or to standard output when `out` is nil, streaming.
    /// - Parameter progress: called after each article with (articles done, articles in all).
    func writeJSONL(
        _ versions: [ArticleVersion], to out: URL?, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> ExportReport {
        var report = ExportReport()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
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
            var buffer = Data()
            for (index, version) in versions.enumerated() {
                defer { progress(index + 1, versions.count) }
                do {
                    let text = try store.read(version.cleanedObject)
                    let article = articles[version.key]
                    let record = Record(
                        key: version.key, url: article?.url, source: article?.source, title: article?.title,
                        fetched_at: version.fetchedAt, version: version.number, object: version.cleanedObject.hex,
                        text: String(decoding: text, as: UTF8.self))
                    buffer.append(try encoder.encode(record))
                    buffer.append(UInt8(ascii: "\n"))
                    report.articles += 1
                    report.bytes += text.count
                } catch {
                    report.failures.append("\(version.key) v\(version.number): \(error)")
                }
                if buffer.count >= 1 << 20 {
                    try handle.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: buffer)
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
