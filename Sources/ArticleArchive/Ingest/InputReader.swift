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

    /// Calls `handle` with every arrival or problem, in input order; JSONL lines come unparsed, for the ingest to
    /// parse on every core.
    func read(_ inputs: [IngestInput], _ handle: (IngestUnit) throws -> Void) throws {
        try read(inputs) { (result: Result<Submission, InputProblem>) in
            switch result {
            case .success(let submission): try handle(.submission(submission))
            case .failure(let problem): try handle(.rejected(problem))
            }
        } lines: { try handle($0) }
    }

    /// Calls `handle` with every submission or problem, in input order (JSONL lines parsed here).
    func read(_ inputs: [IngestInput], _ handle: (Result<Submission, InputProblem>) throws -> Void) throws {
        try read(inputs, handle) { unit in try handle(unit.resolved()) }
    }

    private func read(
        _ inputs: [IngestInput], _ handle: (Result<Submission, InputProblem>) throws -> Void,
        lines: (IngestUnit) throws -> Void
    ) throws {
        for input in inputs {
            switch input {
            case .standardInput:
                if standardInputIsJSONL {
                    try readJSONL(handle: .standardInput, path: nil, stem: "stdin", handle, lines: lines)
                } else {
                    try handle(readStandardInput())
                }
            case .path(let path):
                try readPath(path, handle, lines: lines)
            }
        }
    }

    private func readPath(
        _ path: String, _ handle: (Result<Submission, InputProblem>) throws -> Void, lines: (IngestUnit) throws -> Void
    ) throws {
        let origin = InputOrigin(kind: .file, path: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return try handle(.failure(InputProblem(origin: origin, message: "no such file or folder")))
        }
        let url = URL(fileURLWithPath: path)
        if isDirectory.boolValue {
            let root = url.standardizedFileURL.resolvingSymlinksInPath()
            let folderName = root.lastPathComponent
            let displayPrefix = path.hasSuffix("/") ? path : path + "/"
            try forEachFile(in: root.path, relative: "") { file, relative in
                try readFile(URL(fileURLWithPath: file), displayPath: displayPrefix + relative,
                             derivedKey: folderName + "/" + relative, folderName: folderName, handle, lines: lines)
            }
        } else {
            let parent = url.standardizedFileURL.deletingLastPathComponent().lastPathComponent
            let name = url.lastPathComponent
            try readFile(url, displayPath: path, derivedKey: parent.isEmpty ? name : parent + "/" + name,
                         folderName: parent.isEmpty ? nil : parent, handle, lines: lines)
        }
    }

    private func readFile(
        _ url: URL, displayPath: String, derivedKey: String, folderName: String?,
        _ handle: (Result<Submission, InputProblem>) throws -> Void, lines: (IngestUnit) throws -> Void
    ) throws {
        if Self.jsonlExtensions.contains(url.pathExtension.lowercased()) {
            guard let fileHandle = try? FileHandle(forReadingFrom: url) else {
                return try handle(.failure(InputProblem(
                    origin: InputOrigin(kind: .jsonl, path: displayPath), message: "cannot open for reading")))
            }
            defer { try? fileHandle.close() }
            return try readJSONL(
                handle: fileHandle, path: displayPath, stem: url.deletingPathExtension().lastPathComponent, handle,
                lines: lines)
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
                origin: origin, body: body, declared: DeclaredMetadata(),
                inputSHA256: ContentDigest.sha256Hex(bytes), derivedKey: derivedKey, fallbackSource: folderName,
                inputBytes: bytes.count)
        }.mapError { $0 as! InputProblem })
    }

    private func readJSONL(
        handle fileHandle: FileHandle, path: String?, stem: String,
        _ handle: (Result<Submission, InputProblem>) throws -> Void, lines: (IngestUnit) throws -> Void
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
                try lines(.jsonlLine(bytes: Array(bytes), origin: origin, parser: parser))
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
                origin: origin, body: body, declared: DeclaredMetadata(), inputSHA256: digest,
                derivedKey: "stdin/" + digest.prefix(16), fallbackSource: nil, inputBytes: bytes.count)
        }.mapError { $0 as! InputProblem }
    }

    /// Calls `body` with each regular file under `folder` (and its path relative to the root), depth first, each
    /// folder's entries in name order, streaming: memory is bounded by the largest single folder's listing, not by
    /// the whole tree. Hidden entries are skipped, and symbolic links to folders are not followed (no loops); a
    /// link to a file is read, and a dangling one is reported when it cannot be.
    private func forEachFile(
        in folder: String, relative: String, _ body: (_ path: String, _ relative: String) throws -> Void
    ) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for name in names where !name.hasPrefix(".") {
            let path = folder + "/" + name
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try forEachFile(in: path, relative: relativePath, body)
            case S_IFLNK:
                var target = stat()
                if stat(path, &target) == 0 && target.st_mode & S_IFMT == S_IFDIR { continue }
                try body(path, relativePath)
            default:
                try body(path, relativePath)
            }
        }
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
