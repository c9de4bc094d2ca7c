import Foundation

/// Walks the inputs of an ingest and yields each article body, or the reason it was rejected, one at a time.
///
/// Folders are searched recursively in name order (hidden files skipped, symbolic links to folders not followed,
/// so a link loop cannot trap the walk); files ending in `.jsonl` or `.ndjson` are read as JSONL, one article per
/// line, streamed; every other file is one article body.
struct InputReader {
    static let jsonlExtensions: Set<String> = ["jsonl", "ndjson"]

    var validator: BodyValidator
    var standardInputIsJSONL: Bool

    /// Calls `handle` with every submission or problem, in input order.
    func read(_ inputs: [IngestInput], _ handle: (Result<Submission, InputProblem>) throws -> Void) throws {
        for input in inputs {
            switch input {
            case .standardInput:
                if standardInputIsJSONL {
                    try readJSONL(handle: .standardInput, path: nil, stem: "stdin", handle)
                } else {
                    try handle(readStandardInput())
                }
            case .path(let path):
                try readPath(path, handle)
            }
        }
    }

    private func readPath(_ path: String, _ handle: (Result<Submission, InputProblem>) throws -> Void) throws {
        let origin = InputOrigin(kind: .file, path: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return try handle(.failure(InputProblem(origin: origin, message: "no such file or folder")))
        }
        let url = URL(fileURLWithPath: path)
        if isDirectory.boolValue {
            let root = url.standardizedFileURL.resolvingSymlinksInPath()
            let folderName = root.lastPathComponent
            for (file, relative) in try files(under: root, displayedAs: path) {
                try readFile(file, displayPath: relative.display, derivedKey: folderName + "/" + relative.key,
                             folderName: folderName, handle)
            }
        } else {
            let parent = url.standardizedFileURL.deletingLastPathComponent().lastPathComponent
            let name = url.lastPathComponent
            try readFile(url, displayPath: path, derivedKey: parent.isEmpty ? name : parent + "/" + name,
                         folderName: parent.isEmpty ? nil : parent, handle)
        }
    }

    private func readFile(
        _ url: URL, displayPath: String, derivedKey: String, folderName: String?,
        _ handle: (Result<Submission, InputProblem>) throws -> Void
    ) throws {
        if Self.jsonlExtensions.contains(url.pathExtension.lowercased()) {
            guard let fileHandle = try? FileHandle(forReadingFrom: url) else {
                return try handle(.failure(InputProblem(
                    origin: InputOrigin(kind: .jsonl, path: displayPath), message: "cannot open for reading")))
            }
            defer { try? fileHandle.close() }
            return try readJSONL(
                handle: fileHandle, path: displayPath, stem: url.deletingPathExtension().lastPathComponent, handle)
        }
        let origin = InputOrigin(kind: .file, path: displayPath)
        let bytes: [UInt8]
        do {
            if let size = try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int,
               size > validator.maximumBytes {
                throw InputProblem(
                    origin: origin, message: "file of \(size) bytes exceeds the limit of \(validator.maximumBytes) bytes")
            }
            bytes = Array(try Data(contentsOf: url))
        } catch let problem as InputProblem {
            return try handle(.failure(problem))
        } catch {
            return try handle(.failure(InputProblem(origin: origin, message: "cannot read: \(Self.reason(error))")))
        }
        try handle(Result {
            let body = try validator.validate(bytes, origin: origin)
            return Submission(
                origin: origin, body: body, bodyBytes: bytes, declared: DeclaredMetadata(),
                inputSHA256: ContentDigest.sha256Hex(bytes), derivedKey: derivedKey, fallbackSource: folderName,
                inputBytes: bytes.count)
        }.mapError { $0 as! InputProblem })
    }

    private func readJSONL(
        handle fileHandle: FileHandle, path: String?, stem: String,
        _ handle: (Result<Submission, InputProblem>) throws -> Void
    ) throws {
        let parser = JSONLRecordParser(validator: validator, fileStem: stem)
        // A JSON-escaped body can be up to six times its text; allow for that plus the other fields.
        let reader = LineReader(handle: fileHandle, maximumLineBytes: validator.maximumBytes * 6 + (1 << 20))
        while true {
            let line: LineReader.Line?
            do {
                line = try reader.nextLine()
            } catch {
                let origin = InputOrigin(kind: .jsonl, path: path, line: reader.lineNumber + 1)
                return try handle(.failure(InputProblem(origin: origin, message: "read failed: \(Self.reason(error))")))
            }
            guard let line else { return }
            let origin = InputOrigin(kind: .jsonl, path: path, line: reader.lineNumber)
            switch line {
            case .tooLong(let bytes):
                try handle(.failure(InputProblem(
                    origin: origin, message: "line of \(bytes) bytes exceeds the record limit")))
            case .text(let bytes):
                if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
                try handle(Result { try parser.parse(bytes, origin: origin) }.mapError { $0 as! InputProblem })
            }
        }
    }

    private func readStandardInput() -> Result<Submission, InputProblem> {
        let origin = InputOrigin(kind: .stdin, path: nil)
        let data: Data
        do {
            data = try FileHandle.standardInput.readToEnd() ?? Data()
        } catch {
            return .failure(InputProblem(origin: origin, message: "cannot read: \(Self.reason(error))"))
        }
        let bytes = Array(data)
        return Result {
            let body = try validator.validate(bytes, origin: origin)
            let digest = ContentDigest.sha256Hex(bytes)
            return Submission(
                origin: origin, body: body, bodyBytes: bytes, declared: DeclaredMetadata(), inputSHA256: digest,
                derivedKey: "stdin/" + digest.prefix(16), fallbackSource: nil, inputBytes: bytes.count)
        }.mapError { $0 as! InputProblem }
    }

    /// Regular files under `root` in name order, with their path for messages and their path relative to `root`.
    private func files(under root: URL, displayedAs displayRoot: String) throws
        -> [(URL, (display: String, key: String))]
    {
        let keys: [URLResourceKey] = [.isRegularFileKey, .isDirectoryKey, .isSymbolicLinkKey]
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else { return [] }
        var found: [(URL, (display: String, key: String))] = []
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let displayPrefix = displayRoot.hasSuffix("/") ? displayRoot : displayRoot + "/"
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: Set(keys))
            if values?.isDirectory == true { continue }
            if values?.isSymbolicLink == true {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                    continue
                }
            }
            let path = url.path
            let relative = path.hasPrefix(rootPath) ? String(path.dropFirst(rootPath.count)) : url.lastPathComponent
            found.append((url, (displayPrefix + relative, relative)))
        }
        return found.sorted { $0.1.key < $1.1.key }
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
