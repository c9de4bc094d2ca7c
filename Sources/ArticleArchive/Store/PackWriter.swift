#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation

/// Writes a batch of objects as one git pack file (version 2; blobs whole or as deltas against an earlier blob of
/// the same pack) and its index (version 2, SHA-256 names), the
/// format `git index-pack` makes in a SHA-256 repository, so git reads the archive's packs as its own.
///
/// Both files are written under temporary names, fsynced, and renamed into `objects/pack`, the `.pack` first: git
/// and the archive only look for a pack through its `.idx`, so a pack is either complete or invisible.
struct PackWriter {
    let store: ObjectStore

    /// Writes `objects` (duplicates are written once) and returns where each one is.
    /// - Throws: `StoreError.io` when a file cannot be written; nothing is then visible under a pack name.
    func write(_ objects: [PackedObject]) throws -> [ObjectID: ObjectLocation] {
        // Sized once: growing a set or table hashes again every id it holds, each time it doubles.
        var seen = Set<ObjectID>(minimumCapacity: objects.count)
        let unique = objects.filter { seen.insert($0.id).inserted }
        guard !unique.isEmpty else { return [:] }

        let folder = store.packDirectory.path
        if mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw StoreError.io(path: folder, operation: "create folder", errno: errno)
        }
        // The pack is written as it is made, its checksum (and so its name) hashed along: no copy of the whole pack
        // in memory (a batch's is a few MB, mapped afresh and faulted in page by page for every batch).
        var offsets: [Int] = []
        var lengths: [Int] = []
        var crcs: [UInt32] = []
        offsets.reserveCapacity(unique.count)
        lengths.reserveCapacity(unique.count)
        crcs.reserveCapacity(unique.count)
        var packChecksum: [UInt8] = []
        var name = ""
        try store.writeFileAtomically { file in
            var checksum = SHA256()
            func append(_ bytes: [UInt8]) throws {
                checksum.update(data: bytes)
                try file.write(bytes)
            }
            var header: [UInt8] = Array("PACK".utf8)
            header.appendBigEndian(UInt32(2))
            header.appendBigEndian(UInt32(unique.count))
            try append(header)
            var offsetOf = [ObjectID: Int](minimumCapacity: unique.count)
            for object in unique {
                let entry: [UInt8]
                switch object.form {
                case .delta(let base, let deltaSize, let compressedDelta) where offsetOf[base] != nil:
                    entry = PackedObject.deltaEntry(
                        deltaSize: deltaSize, distance: file.count - offsetOf[base]!, compressedDelta: compressedDelta)
                default:
                    // A delta whose base is not in this pack (stored by an earlier batch) goes in whole.
                    entry = object.wholeEntry
                }
                offsets.append(file.count)
                offsetOf[object.id] = file.count
                lengths.append(entry.count)
                crcs.append(PackedObject.crc32(entry))
                try append(entry)
            }
            packChecksum = Array(checksum.finalize())
            try file.write(packChecksum)
            name = "pack-" + packChecksum.withUnsafeBytes { ObjectID.hexString($0) }
            return store.packPath(name)
        }
        let index = Self.index(names: unique.map(\.id), crcs: crcs, offsets: offsets, packChecksum: packChecksum)
        try store.writeFileAtomically(index, to: store.indexPath(name))
        try store.syncDirectory(folder)

        var locations = [ObjectID: ObjectLocation](minimumCapacity: unique.count)
        for (index, object) in unique.enumerated() {
            locations[object.id] = ObjectLocation(pack: name, offset: offsets[index], length: lengths[index])
        }
        return locations
    }

    /// The `.idx` (version 2): a fan-out table of the first id byte, the sorted ids, each entry's CRC-32, each
    /// entry's offset (31 bits, or a pointer into a table of 64-bit offsets), the pack's checksum, its own.
    static func index(names: [ObjectID], crcs: [UInt32], offsets: [Int], packChecksum: [UInt8]) -> [UInt8] {
        let sorted = names.indices.map { (name: names[$0].rawBytes, crc: crcs[$0], offset: offsets[$0]) }
            .sorted { $0.name.lexicographicallyPrecedes($1.name) }
        var index: [UInt8] = [0xff, 0x74, 0x4f, 0x63]
        index.reserveCapacity(8 + 1024 + sorted.count * 44 + 64)
        index.appendBigEndian(UInt32(2))
        var fanout = [UInt32](repeating: 0, count: 256)
        for entry in sorted { fanout[Int(entry.name[0])] += 1 }
        var total: UInt32 = 0
        for byte in 0..<256 {
            total += fanout[byte]
            index.appendBigEndian(total)
        }
        for entry in sorted { index += entry.name }
        for entry in sorted { index.appendBigEndian(entry.crc) }
        var largeOffsets: [UInt64] = []
        for entry in sorted {
            if entry.offset < 0x8000_0000 {
                index.appendBigEndian(UInt32(entry.offset))
            } else {
                index.appendBigEndian(0x8000_0000 | UInt32(largeOffsets.count))
                largeOffsets.append(UInt64(entry.offset))
            }
        }
        for offset in largeOffsets { index.appendBigEndian(offset) }
        index += packChecksum
        index += Array(index.withUnsafeBytes { SHA256.hash(data: $0) })
        return index
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian<Integer: FixedWidthInteger>(_ value: Integer) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
