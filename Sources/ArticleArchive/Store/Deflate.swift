import CLibDeflate
import Synchronization

/// Whole-buffer compression into zlib streams with libdeflate (and inflating streams of known size): the format
/// zlib inflates and git reads in loose objects and packs, made in one call per body rather than through zlib's
/// streaming state (which clears 256 KiB of tables for every stream).
///
/// `archive-bench zlib --compressor libdeflate --level N` measures it against zlib on the same bodies.
enum Deflate {
    /// The level objects are compressed at. libdeflate's level 1 is its fastest: on both cores here it compressed
    /// the 10k benchmark feed at 222 MB/s to 0.548 of its size, where zlib's level 6 (git's default) took the same
    /// bodies to 0.550 at 79 MB/s and libdeflate's 6 to 0.546 at 119 MB/s; on the WCXB pages (longer, more varied)
    /// it gave 0.394 against zlib 6's 0.377, 4% more bytes for four times the speed.
    static let level: Int32 = 1

    /// Compresses `input` into one zlib stream.
    static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = level) -> [UInt8] {
        let pool = compressors[Int(min(max(level, 1), 12))]
        let compressor = pool.take(
            orMake: { libdeflate_alloc_compressor(level) }, "libdeflate_alloc_compressor(\(level))")
        defer { pool.give(compressor) }
        let bound = libdeflate_zlib_compress_bound(compressor.pointer, input.count)
        return [UInt8](unsafeUninitializedCapacity: bound) { output, count in
            count = libdeflate_zlib_compress(
                compressor.pointer, input.baseAddress, input.count, output.baseAddress, output.count)
            precondition(count > 0, "libdeflate: \(bound) bytes did not hold the compressed stream")
        }
    }

    /// Decompresses one zlib stream that expands to at most `size` bytes (a pack entry's, whose header gives it),
    /// in one call, without zlib's per-stream state.
    /// - Parameter allowingTrailingBytes: the input may go on after the stream ends (an entry read without its
    ///   length).
    /// - Throws: `ZlibError` when the stream is damaged or truncated, is followed by other bytes, or expands past
    ///   `size`.
    static func decompress(
        _ input: UnsafeRawBufferPointer, size: Int, allowingTrailingBytes: Bool = false
    ) throws -> [UInt8] {
        let decompressor = decompressors.take(orMake: libdeflate_alloc_decompressor, "libdeflate_alloc_decompressor")
        defer { decompressors.give(decompressor) }
        var consumed = 0
        var result = LIBDEFLATE_SUCCESS
        let output = [UInt8](unsafeUninitializedCapacity: max(1, size)) { buffer, count in
            var produced = 0
            result = libdeflate_zlib_decompress_ex(
                decompressor.pointer, input.baseAddress, input.count, buffer.baseAddress, size, &consumed, &produced)
            count = result == LIBDEFLATE_SUCCESS ? produced : 0
        }
        switch result {
        case LIBDEFLATE_SUCCESS:
            guard consumed == input.count || allowingTrailingBytes else {
                throw ZlibError.damaged("\(input.count - consumed) bytes after the stream end")
            }
            return output
        case LIBDEFLATE_INSUFFICIENT_SPACE:
            throw ZlibError.tooLarge(size)
        default:
            throw ZlibError.damaged("invalid or truncated deflate data")
        }
    }

    /// A libdeflate compressor (about 1 MB at the slower levels) or decompressor, used by one thread at a time.
    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// Handles of one kind not in use, so a thread takes one instead of allocating (and, for a compressor,
    /// clearing) one per body.
    private final class Pool: Sendable {
        private let free = Mutex<[Handle]>([])

        /// A free handle, or one `make` allocates (`allocator` names it should that fail).
        func take(orMake make: () -> OpaquePointer?, _ allocator: @autoclosure () -> String) -> Handle {
            if let handle = free.withLock({ $0.popLast() }) { return handle }
            guard let pointer = make() else { fatalError("\(allocator()) failed: out of memory") }
            return Handle(pointer: pointer)
        }

        func give(_ handle: Handle) {
            free.withLock { $0.append(handle) }
        }
    }

    /// Compressors by level.
    private static let compressors: [Pool] = (0...12).map { _ in Pool() }
    private static let decompressors = Pool()
}
