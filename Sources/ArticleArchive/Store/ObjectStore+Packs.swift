#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The store's pack files: where they are, reading an entry (whole or a delta), writing a batch, and what `gc`
/// needs to find and remove a pack no committed batch refers to.
extension ObjectStore {
    /// The path of a pack's `.pack` file.
    func packPath(_ pack: String) -> String {
        packPath + "/" + pack + ".pack"
    }

    /// The path of a pack's `.idx` file.
    func indexPath(_ pack: String) -> String {
        packPath + "/" + pack + ".idx"
    }

    /// Whether a pack's `.pack` file exists.
    func packExists(_ pack: String) -> Bool {
        access(packPath(pack), F_OK) == 0
    }

    /// Reads a packed object's entry (whole, or a delta applied to its base) and checks that the body hashes to `id`.
    func read(_ id: ObjectID, at location: ObjectLocation) throws -> [UInt8] {
        let file = packPath(location.pack)
        let pack: OpenPackFiles.File
        do {
            pack = try openPacks.file(at: file)
        } catch {
            if error.errno == ENOENT { throw StoreError.missingObject(id, path: file) }
            throw StoreError.io(path: file, operation: "open", errno: error.errno)
        }
        let body = try withExtendedLifetime(pack) {
            try packedBody(of: id, in: pack.descriptor, file: file, offset: location.offset, length: location.length)
        }
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
        // Deflate expands a byte to at most 1,032: a larger size is damage, not a body to allocate for.
        let data = min(dataStart, entry.count)
        guard header.size <= (entry.count - data) * 1032 + 64 else {
            throw corrupt("header says \(header.size) bytes, more than its \(entry.count) bytes can hold")
        }
        let inflated: [UInt8]
        do {
            inflated = try entry.withUnsafeBytes {
                try Deflate.decompress(
                    UnsafeRawBufferPointer(rebasing: $0[data...]), size: header.size,
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
}
