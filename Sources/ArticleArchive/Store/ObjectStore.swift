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
    }

    var objectsDirectory: URL { directory.appendingPathComponent("objects") }
    var packDirectory: URL { objectsDirectory.appendingPathComponent("pack") }
    var temporaryDirectory: URL { directory.appendingPathComponent("tmp") }

    /// The path of the file that holds (or would hold) an object.
    public func path(of id: ObjectID) -> String {
        objectsDirectory.path + "/" + id.directoryName + "/" + id.fileName
    }

    /// The path of a pack's `.pack` file.
    func packPath(_ pack: String) -> String {
        packDirectory.path + "/" + pack + ".pack"
    }

    /// The path of a pack's `.idx` file.
    func indexPath(_ pack: String) -> String {
        packDirectory.path + "/" + pack + ".idx"
    }

    /// Whether a pack's `.pack` file exists.
    func packExists(_ pack: String) -> Bool {
        access(packPath(pack), F_OK) == 0
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
            Zlib.compress($0)
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

    /// Reads a packed object's entry (whole, or a delta applied to its base) and checks that the body hashes to `id`.
    func read(_ id: ObjectID, at location: ObjectLocation) throws -> [UInt8] {
        let file = packPath(location.pack)
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw StoreError.missingObject(id, path: file) }
            throw StoreError.io(path: file, operation: "open", errno: errno)
        }
        defer { close(descriptor) }
        let body = try packedBody(of: id, in: descriptor, file: file, offset: location.offset, length: location.length)
        let actual = ObjectID.forBlob(body)
        guard actual == id else {
            throw StoreError.hashMismatch(id, path: "\(file) at offset \(location.offset)", actual: actual)
        }
        return body
    }

    /// Deltas are followed this deep at most (the ingest makes chains of one).
    static let maximumDeltaDepth = 16

    /// The body held by the pack entry at `offset`; `length` is the entry's length when known (a delta's base is
    /// read up to the most its compressed stream can take, and the stream's end says where it stops).
    private func packedBody(
        of id: ObjectID, in descriptor: Int32, file: String, offset: Int, length: Int?, depth: Int = 0
    ) throws -> [UInt8] {
        let place = "\(file) at offset \(offset)"
        func corrupt(_ reason: String) -> StoreError { .corruptObject(id, path: place, reason: reason) }
        var entry = try readBytes(descriptor, file: file, at: offset, count: length ?? 32)
        guard length == nil || entry.count == length else { throw corrupt("the pack ends before the entry does") }
        guard let header = entry.withUnsafeBytes({ PackedObject.parseEntryHeader($0) }) else {
            throw corrupt("no pack entry header")
        }
        if length == nil {
            // Header, distance to a base (at most 10 bytes), and zlib's worst case for `size` bytes.
            let bound = header.length + 10 + header.size + header.size >> 12 + header.size >> 14 + 64
            entry = try readBytes(descriptor, file: file, at: offset, count: bound)
        }
        var dataStart = header.length
        var base: [UInt8]?
        switch header.type {
        case PackedObject.blobType:
            break
        case PackedObject.offsetDeltaType:
            guard depth < Self.maximumDeltaDepth else { throw corrupt("a delta chain deeper than \(depth)") }
            guard let (distance, used) = entry.withUnsafeBytes({
                PackedObject.parseDistance(UnsafeRawBufferPointer(rebasing: $0[header.length...]))
            }), distance > 0, distance <= offset else { throw corrupt("a delta whose base is not in the pack") }
            dataStart += used
            base = try packedBody(
                of: id, in: descriptor, file: file, offset: offset - distance, length: nil, depth: depth + 1)
        default:
            throw corrupt("entry type \(header.type), neither a blob nor a delta")
        }
        let inflated: [UInt8]
        do {
            inflated = try entry.withUnsafeBytes {
                try Zlib.decompress(
                    UnsafeRawBufferPointer(rebasing: $0[min(dataStart, $0.count)...]), limit: header.size,
                    allowingTrailingBytes: length == nil)
            }
        } catch {
            throw corrupt(String(describing: error))
        }
        guard inflated.count == header.size else {
            throw corrupt("header says \(header.size) bytes, content has \(inflated.count)")
        }
        guard let base else { return inflated }
        do {
            return try PackDelta.apply(inflated, to: base)
        } catch {
            throw corrupt(String(describing: error))
        }
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    private func readBytes(_ descriptor: Int32, file: String, at offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let read = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + got, count - got, off_t(offset + got))
            }
            if read < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: file, operation: "read", errno: errno)
            }
            if read == 0 { break }
            got += read
        }
        bytes.removeSubrange(got...)
        return bytes
    }

    /// Writes objects as one pack file with its index (see `PackWriter`); the files and their folder entry are
    /// durable when this returns.
    /// - Returns: where each object is.
    func writePack(_ objects: [PackedObject]) throws -> [ObjectID: ObjectLocation] {
        try PackWriter(store: self).write(objects)
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

    /// The store's packs, by name: those with an index, and `.pack` files whose index never arrived (a crash
    /// between the two renames; git ignores them too).
    func packs() -> (indexed: [String], unindexed: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: packDirectory.path)) ?? []
        let indexes = Set(names.filter { $0.hasSuffix(".idx") }.map { String($0.dropLast(4)) })
        let packs = Set(names.filter { $0.hasSuffix(".pack") }.map { String($0.dropLast(5)) })
        return (packs.intersection(indexes).sorted(), packs.subtracting(indexes).sorted())
    }

    /// The bytes of a pack's files, and when the pack was written.
    func packFiles(_ pack: String) -> (bytes: Int, written: Date)? {
        var info = stat()
        guard stat(packPath(pack), &info) == 0 else { return nil }
        var indexInfo = stat()
        let indexBytes = stat(indexPath(pack), &indexInfo) == 0 ? Int(indexInfo.st_size) : 0
        return (Int(info.st_size) + indexBytes, Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec)))
    }

    /// Deletes a pack: its index first, so no reader finds an index without its pack.
    func removePack(_ pack: String) throws {
        for path in [indexPath(pack), packPath(pack)] {
            guard unlink(path) == 0 || errno == ENOENT else {
                throw StoreError.io(path: path, operation: "delete", errno: errno)
            }
        }
        try syncDirectory(packDirectory.path)
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
        do {
            defer { close(descriptor) }
            try bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw StoreError.io(path: temporary, operation: "write", errno: errno)
                    }
                    offset += written
                }
            }
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
