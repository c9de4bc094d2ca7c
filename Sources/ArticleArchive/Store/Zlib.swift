import CZlib

/// Inflating zlib streams of unknown size: git's loose objects (`Deflate` makes them, and inflates pack entries).
enum Zlib {
    /// Decompresses one complete zlib stream.
    /// - Throws: `ZlibError` when the stream is damaged, truncated, or followed by other bytes.
    static func decompress(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflateInit(&stream) == Z_OK else { throw ZlibError.damaged("inflateInit failed") }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(64, input.count * 4))
        var produced = 0
        var consumed = 0
        while true {
            if produced == output.count {
                output.append(contentsOf: repeatElement(0, count: output.count))
            }
            var status: Int32 = Z_OK
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(
                    mutating: input.baseAddress?.advanced(by: consumed).assumingMemoryBound(to: UInt8.self))
                stream.avail_in = UInt32(min(input.count - consumed, Int(UInt32.max)))
                stream.next_out = out.baseAddress!.advanced(by: produced).assumingMemoryBound(to: UInt8.self)
                stream.avail_out = UInt32(min(out.count - produced, Int(UInt32.max)))
                let availableOut = stream.avail_out
                let availableIn = stream.avail_in
                status = inflate(&stream, Z_NO_FLUSH)
                produced += Int(availableOut - stream.avail_out)
                consumed += Int(availableIn - stream.avail_in)
            }
            switch status {
            case Z_STREAM_END:
                guard consumed == input.count else {
                    throw ZlibError.damaged("\(input.count - consumed) bytes after the stream end")
                }
                output.removeSubrange(produced...)
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR where consumed == input.count:
                throw ZlibError.damaged("the stream is truncated")
            case Z_BUF_ERROR:
                continue
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw ZlibError.damaged(message)
            }
        }
    }
}

/// Why a zlib stream could not be decompressed.
enum ZlibError: Error, Equatable, CustomStringConvertible {
    case damaged(String)
    case tooLarge(Int)

    var description: String {
        switch self {
        case .damaged(let reason): "damaged zlib stream: \(reason)"
        case .tooLarge(let limit): "zlib stream expands past \(limit) bytes"
        }
    }
}
