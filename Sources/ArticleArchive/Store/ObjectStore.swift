import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A content-addressed store of zlib-compressed blobs with SHA-256 ids, in git's formats: pack files for what an
/// ingest stores in batches, loose objects for single writes.
///
/// A loose object for bytes `B` is `zlib("blob <len(B)>\0" + B)` at `objects/<2 hex>/<62 hex>`; packs are
/// `objects/pack/pack-<hex>.pack` and `.idx` (see `PackWriter`). Files are written under a temporary name, fsynced
/// and renamed into place, so a crash never leaves a partial object under its final name. Reads verify the hash.
/// A loose object is read in preference to a packed copy, which is how `verify --repair` replaces damaged ones.
public struct ObjectStore: Sendable {
    /// The archive folder (a bare git directory).
    public let directory: URL
    /// Where packed objects are (the catalog); without it only loose objects can be read.
    let locator: (any ObjectLocating)?

    /// The result of storing one body.
    public struct StoredObject: Sendable, Equatable {
        /// The object's id.
        public let id: ObjectID
        /// The length of the body, uncompressed.
        public let size: Int
        /// The length of the compressed object file.
        public let storedSize: Int
        /// Whether this call created the object (false when it existed already).
        public let created: Bool
        /// Where the object is packed (`nil` for a loose object, or one stored before).
        public var location: ObjectLocation? = nil
    }

    /// Opens the store in an archive folder whose git layout already exists.
    public init(directory: URL) {
        self.init(directory: directory, locator: nil)
    }

    init(directory: URL, locator: (any ObjectLocating)?) {
        self.directory = directory
        self.locator = locator
        objectsDirectory = directory.appendingPathComponent("objects")
        packDirectory = objectsDirectory.appendingPathComponent("pack")
        objectsPath = objectsDirectory.path
        packPath = packDirectory.path
        openPacks = OpenPackFiles()
    }

    let objectsDirectory: URL
    let packDirectory: URL
    /// `objectsDirectory` and `packDirectory` as paths, made once: every read of an object builds a path from one.
    let objectsPath: String
    let packPath: String
    /// Pack files kept open for reading, shared by the copies of this store.
    let openPacks: OpenPackFiles
    var temporaryDirectory: URL { directory.appendingPathComponent("tmp") }

    /// The path of the file that holds (or would hold) an object.
    public func path(of id: ObjectID) -> String {
        objectsPath + "/" + id.directoryName + "/" + id.fileName
    }

    /// Whether a loose object file, or a pack the catalog places the object in, exists (content not checked).
    public func contains(_ id: ObjectID) -> Bool {
        if storedSize(of: id) != nil { return true }
        guard let location = try? locator?.location(of: id) else { return false }
        return packExists(location.pack)
    }

    /// The length of an object's file, or `nil` when it does not exist or is empty.
    func storedSize(of id: ObjectID) -> Int? {
        var info = stat()
        guard stat(path(of: id), &info) == 0, info.st_size > 0 else { return nil }
        return Int(info.st_size)
    }

    /// Stores `body`, unless an object with the same content exists already.
    ///
    /// The object file's data is on disk when this returns; its folder entry is durable once
    /// `syncDirectories` has run for the returned folder, which the ingest does once per batch.
    /// - Returns: the stored object; its `created` is false when the object existed already.
    /// - Throws: `StoreError.io` when the file system refuses the write.
    public func write(_ body: [UInt8]) throws -> StoredObject {
        try write(body, replacingExisting: false)
    }

    /// Writes `body`'s object even when a file of that name exists: how `verify --repair` replaces a damaged
    /// object with the exact bytes it re-derived (atomically, like every write).
    func replace(_ body: [UInt8]) throws -> StoredObject {
        try write(body, replacingExisting: true)
    }

    private func write(_ body: [UInt8], replacingExisting: Bool) throws -> StoredObject {
        let id = ObjectID.forBlob(body)
        if !replacingExisting, let existing = storedSize(of: id) {
            // Mark it used now, so `gc`'s grace period protects an object an ingest is about to refer to again.
            _ = utimensat(AT_FDCWD, path(of: id), nil, 0)
            return StoredObject(id: id, size: body.count, storedSize: existing, created: false)
        }
        if !replacingExisting, let location = try? locator?.location(of: id), packExists(location.pack) {
            return StoredObject(id: id, size: body.count, storedSize: location.length, created: false, location: location)
        }
        let compressed = (GitObjectHeader.blob(length: body.count).bytes + body).withUnsafeBytes {
            Deflate.compress($0)
        }
        let folder = objectsDirectory.path + "/" + id.directoryName
        if mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw StoreError.io(path: folder, operation: "create folder", errno: errno)
        }
        try writeFileAtomically(compressed, to: path(of: id))
        return StoredObject(id: id, size: body.count, storedSize: compressed.count, created: true)
    }

    /// Reads an object's body (its loose file, else its packed entry) and checks that it hashes to `id`.
    /// - Throws: `StoreError.missingObject`, `.corruptObject` or `.hashMismatch`; never returns wrong bytes.
    public func read(_ id: ObjectID) throws -> [UInt8] {
        try read(id, packedAt: { try locator?.location(of: id) })
    }

    /// Reads an object's body from its loose file, else from the pack location `packedAt` gives (asked only when
    /// there is no loose file: the catalog, inside a transaction that may have just recorded it).
    func read(_ id: ObjectID, packedAt location: () throws -> ObjectLocation?) throws -> [UInt8] {
        let file = path(of: id)
        guard access(file, F_OK) == 0 else {
            if let location = try location() { return try read(id, at: location) }
            throw StoreError.missingObject(id, path: file)
        }
        let compressed: Data
        do {
            compressed = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw StoreError.io(path: file, operation: "read", errno: EIO)
        }
        let inflated: [UInt8]
        do {
            inflated = try compressed.withUnsafeBytes { try Zlib.decompress($0) }
        } catch {
            throw StoreError.corruptObject(id, path: file, reason: String(describing: error))
        }
        return try inflated.withUnsafeBytes { raw -> [UInt8] in
            guard let (header, offset) = GitObjectHeader.parse(raw) else {
                throw StoreError.corruptObject(id, path: file, reason: "no git object header")
            }
            guard header.type == "blob" else {
                throw StoreError.corruptObject(id, path: file, reason: "a \(header.type), not a blob")
            }
            guard header.length == raw.count - offset else {
                throw StoreError.corruptObject(
                    id, path: file, reason: "header says \(header.length) bytes, content has \(raw.count - offset)")
            }
            let actual = ObjectID(digest: SHA256Hashing.hash(raw))
            guard actual == id else { throw StoreError.hashMismatch(id, path: file, actual: actual) }
            return Array(UnsafeRawBufferPointer(rebasing: raw[offset...]))
        }
    }

    /// The ids of every loose object file in the store, whatever the catalog says.
    public func allObjectIDs() -> [ObjectID] {
        let manager = FileManager.default
        guard let folders = try? manager.contentsOfDirectory(atPath: objectsDirectory.path) else { return [] }
        var ids: [ObjectID] = []
        for folder in folders where folder.utf8.count == 2 {
            let names = (try? manager.contentsOfDirectory(atPath: objectsDirectory.path + "/" + folder)) ?? []
            ids += names.compactMap { ObjectID(hex: folder + $0) }
        }
        return ids.sorted()
    }

    /// Makes the folder entries of objects written so far durable (fsyncs each `objects/xx` folder that changed).
    public func syncDirectories(_ folders: Set<String>) throws {
        for name in folders.sorted() {
            try syncDirectory(objectsDirectory.path + "/" + name)
        }
        if !folders.isEmpty { try syncDirectory(objectsDirectory.path) }
    }

    // MARK: - Collection

    /// When an object file was last written or found already stored by an ingest, or `nil` if it is missing.
    func lastUsed(_ id: ObjectID) -> Date? {
        var info = stat()
        guard stat(path(of: id), &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec))
    }

    /// Deletes an object file (for `gc`, which decides what is unreferenced).
    func remove(_ id: ObjectID) throws {
        guard unlink(path(of: id)) == 0 || errno == ENOENT else {
            throw StoreError.io(path: path(of: id), operation: "delete", errno: errno)
        }
    }

    /// Temporary files left in `tmp/` by writes that never finished, older than `cutoff`.
    func abandonedTemporaryFiles(olderThan cutoff: Date) -> [String] {
        let folder = temporaryDirectory.path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.map { folder + "/" + $0 }.filter { path in
            var info = stat()
            return stat(path, &info) == 0 && Double(info.st_mtim.tv_sec) < cutoff.timeIntervalSince1970
        }
    }

    // MARK: - Files

    func writeFileAtomically(_ bytes: [UInt8], to destination: String) throws {
        try writeFileAtomically { file in
            try file.write(bytes)
            return destination
        }
    }

    /// Writes a file under a temporary name through `body`, which returns the file's name (chosen from what it
    /// wrote, as a pack's is), then fsyncs it and renames it to that name, so that a crash never leaves a partial
    /// file under it.
    func writeFileAtomically(_ body: (inout BufferedFile) throws -> String) throws {
        var template = Array((temporaryDirectory.path + "/tmp_obj_XXXXXX").utf8CString)
        if mkdir(temporaryDirectory.path, 0o755) != 0 && errno != EEXIST {
            throw StoreError.io(path: temporaryDirectory.path, operation: "create folder", errno: errno)
        }
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw StoreError.io(path: temporaryDirectory.path, operation: "create a file in", errno: errno) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        let destination: String
        do {
            defer { close(descriptor) }
            var file = BufferedFile(descriptor: descriptor, path: temporary)
            defer { file.release() }
            destination = try body(&file)
            try file.flush()
            guard fchmod(descriptor, 0o444) == 0 else { throw StoreError.io(path: temporary, operation: "chmod", errno: errno) }
            guard fsync(descriptor) == 0 else { throw StoreError.io(path: temporary, operation: "fsync", errno: errno) }
        }
        guard rename(temporary, destination) == 0 else {
            throw StoreError.io(path: destination, operation: "rename \(temporary) to", errno: errno)
        }
        succeeded = true
    }

    func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw StoreError.io(path: path, operation: "open folder", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StoreError.io(path: path, operation: "fsync folder", errno: errno) }
    }
}
