import CZlib

/// A blob made ready for a pack file: its id and its pack entry (git's type-and-size header, then the zlib stream
/// of the body). Making one is the CPU work of storing a body, and runs on any thread.
struct PackedObject: Sendable {
    /// The blob's id.
    let id: ObjectID
    /// The length of the body.
    let size: Int
    /// The pack entry's bytes.
    let entry: [UInt8]

    /// Hashes and compresses `body`.
    init(body: [UInt8], level: Int32 = Zlib.defaultLevel) {
        self.init(id: ObjectID.forBlob(body), body: body, level: level)
    }

    /// Compresses `body`, whose id is already known.
    init(id: ObjectID, body: [UInt8], level: Int32 = Zlib.defaultLevel) {
        self.id = id
        self.size = body.count
        var entry = Self.entryHeader(type: Self.blobType, size: body.count)
        body.withUnsafeBytes { entry += Zlib.compress($0, level: level) }
        self.entry = entry
    }

    /// Git's pack object type for blobs.
    static let blobType: UInt8 = 3

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

    /// The CRC-32 git's pack index keeps for each entry.
    var crc32: UInt32 {
        entry.withUnsafeBytes { raw in
            UInt32(CZlib.crc32(0, raw.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(raw.count)))
        }
    }
}
