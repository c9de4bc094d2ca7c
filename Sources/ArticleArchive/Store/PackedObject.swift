import CISAL

/// A blob made ready for a pack file: its id, and its pack entry (git's type-and-size header, then the zlib stream
/// of the body) or the makings of a delta entry against another blob of the same pack. Making one is the CPU work
/// of storing a body, and runs on any thread.
///
/// A class: a batch's objects pass from the thread that made them through the batch to the pack writer, and a copy
/// of a reference is one count, where a copy of the value counted its body and its entry, each in memory another
/// core wrote last.
final class PackedObject: Sendable {
    /// The blob's id.
    let id: ObjectID
    /// The body (kept to write it again, or whole, should it be needed).
    let body: [UInt8]
    /// How the blob goes into the pack.
    let form: Form

    enum Form: Sendable {
        /// A whole entry.
        case whole(entry: [UInt8])
        /// A delta against `base`, which must come earlier in the same pack.
        case delta(base: ObjectID, deltaSize: Int, compressedDelta: [UInt8])
    }

    /// The length of the body.
    var size: Int { body.count }

    /// Hashes and compresses `body`.
    convenience init(body: [UInt8]) {
        self.init(id: ObjectID.forBlob(body), body: body)
    }

    /// Compresses `body`, whose id is already known (with `codes`, when given: see `Deflate.compress`).
    convenience init(id: ObjectID, body: [UInt8], codes: HuffmanCodes? = nil) {
        let entry = body.withUnsafeBytes {
            Deflate.compress($0, after: Self.entryHeader(type: Self.blobType, size: body.count), codes: codes)
        }
        self.init(id: id, body: body, form: .whole(entry: entry))
    }

    /// A delta against `base` when that saves at least half of the body, else the whole body.
    /// - Parameter pieces: where the body's bytes are in the base, when known (else the delta finds its lines).
    convenience init(
        id: ObjectID, body: [UInt8], deltaAgainst base: (id: ObjectID, body: [UInt8]),
        pieces: [(base: Range<Int>, targetOffset: Int)] = [], codes: HuffmanCodes? = nil
    ) {
        let delta = body.count < 64 ? []
            : pieces.isEmpty ? PackDelta.make(base: base.body, target: body)
            : PackDelta.make(base: base.body, target: body, pieces: pieces)
                ?? PackDelta.make(base: base.body, target: body)
        guard !delta.isEmpty, delta.count <= body.count / 2 else {
            self.init(id: id, body: body, codes: codes)
            return
        }
        let compressed = delta.withUnsafeBytes { Deflate.compress($0, codes: codes) }
        self.init(id: id, body: body, form: .delta(base: base.id, deltaSize: delta.count, compressedDelta: compressed))
    }

    private init(id: ObjectID, body: [UInt8], form: Form) {
        self.id = id
        self.body = body
        self.form = form
    }

    /// The whole entry of this blob (compressing it now if it was prepared as a delta).
    var wholeEntry: [UInt8] {
        switch form {
        case .whole(let entry): return entry
        case .delta: return PackedObject(id: id, body: body).wholeEntry
        }
    }

    /// Git's pack object type for blobs.
    static let blobType: UInt8 = 3
    /// Git's pack object type for a delta against an earlier entry of the same pack, found by its distance back.
    static let offsetDeltaType: UInt8 = 6

    /// A delta entry: the header (type 6, the delta's size), the distance back to the base entry, the zlib stream.
    static func deltaEntry(deltaSize: Int, distance: Int, compressedDelta: [UInt8]) -> [UInt8] {
        var entry = entryHeader(type: offsetDeltaType, size: deltaSize)
        // Most significant group first; each group but the last has its top bit set and stands for one more
        // than its value, so every distance has exactly one encoding.
        var groups: [UInt8] = [UInt8(distance & 0x7f)]
        var remaining = distance >> 7
        while remaining > 0 {
            remaining -= 1
            groups.append(0x80 | UInt8(remaining & 0x7f))
            remaining >>= 7
        }
        entry += groups.reversed()
        return entry + compressedDelta
    }

    /// Parses the distance back to a delta's base: the distance and the bytes it took; `nil` when malformed.
    static func parseDistance(_ bytes: UnsafeRawBufferPointer) -> (distance: Int, length: Int)? {
        var index = 0
        guard index < bytes.count else { return nil }
        var byte = bytes[index]
        var distance = Int(byte & 0x7f)
        while byte & 0x80 != 0 {
            index += 1
            guard index < bytes.count, distance < Int.max >> 8 else { return nil }
            byte = bytes[index]
            distance = ((distance + 1) << 7) | Int(byte & 0x7f)
        }
        return (distance, index + 1)
    }

    /// The variable-length header of a pack entry: the type in bits 4-6 of the first byte, the size in 4 bits
    /// there and then 7 bits per byte, least significant first, with the top bit saying "more follows".
    static func entryHeader(type: UInt8, size: Int) -> [UInt8] {
        var remaining = size >> 4
        var byte = (type << 4) | UInt8(size & 0x0f)
        var header: [UInt8] = []
        while remaining > 0 {
            header.append(byte | 0x80)
            byte = UInt8(remaining & 0x7f)
            remaining >>= 7
        }
        header.append(byte)
        return header
    }

    /// Parses an entry header: the type, the size, and the header's length; `nil` when it is malformed.
    static func parseEntryHeader(_ bytes: UnsafeRawBufferPointer) -> (type: UInt8, size: Int, length: Int)? {
        guard let first = bytes.first else { return nil }
        let type = (first >> 4) & 0x07
        var size = Int(first & 0x0f)
        var shift = 4
        var index = 0
        var byte = first
        while byte & 0x80 != 0 {
            index += 1
            guard index < bytes.count, shift < 57 else { return nil }
            byte = bytes[index]
            size |= Int(byte & 0x7f) << shift
            shift += 7
        }
        return (type, size, index + 1)
    }

    /// The CRC-32 git's pack index keeps for each entry (zlib's, computed by ISA-L, which folds 64 bytes a step with
    /// carry-less multiplies).
    static func crc32(_ entry: [UInt8]) -> UInt32 {
        entry.withUnsafeBufferPointer { crc32_gzip_refl(0, $0.baseAddress, UInt64($0.count)) }
    }
}
