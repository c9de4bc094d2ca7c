import CISAL
import CLibDeflate
import Synchronization

/// Whole-buffer compression into zlib streams with ISA-L's igzip (and inflating streams of known size with
/// libdeflate): the format zlib inflates and git reads in loose objects and packs, made in one call per body rather
/// than through zlib's streaming state (which clears 256 KiB of tables for every stream).
///
/// `archive-bench zlib --compressor igzip|igzip-fitted` measures this compressor (through `compress`, the one the
/// archive uses) against zlib and libdeflate on the same bodies.
public enum Deflate {
    /// Compresses `input` into one zlib stream, after `prefix` (a pack entry's header) in the same array: with
    /// `codes`, at igzip's level 0 with those Huffman codes; without, at its level 1, which fits codes to the body.
    ///
    /// igzip's level 1: on the 10k benchmark feed, one core, it made 0.555 of the bodies at 256-264 MB/s, where
    /// libdeflate's level 1 (the archive's compressor before) made 0.548 at 180-183 MB/s and zlib's level 6 (git's
    /// default) 0.550 at about 40 MB/s. Level 0 with fitted codes: see `HuffmanCodes`.
    public static func compress(
        _ input: UnsafeRawBufferPointer, after prefix: [UInt8] = [], codes: HuffmanCodes? = nil
    ) -> [UInt8] {
        let stream = streams.take(orMake: CompressionStream.init, "allocating an igzip stream")
        defer { streams.give(stream) }
        // Copied out at its size: an array of the stream's worst case (the body's size) would hold twice the bytes
        // while its batch waits to be written.
        return stream.pointer.compress(input, codes: codes) { stored in
            [UInt8](unsafeUninitializedCapacity: prefix.count + stored.count) { buffer, count in
                _ = buffer.initialize(fromContentsOf: prefix)
                _ = buffer[prefix.count...].initialize(fromContentsOf: stored)
                count = prefix.count + stored.count
            }
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

    /// A libdeflate decompressor, or an igzip stream (80 KiB of state), used by one thread at a time: the wrapper
    /// lets the pool's `Mutex` hold what is not `Sendable` itself.
    private struct Handle<Pointer>: @unchecked Sendable {
        let pointer: Pointer
    }

    /// Handles of one kind not in use, so a thread takes one instead of allocating one per body.
    private final class Pool<Pointer>: @unchecked Sendable {
        private let free = Mutex<[Handle<Pointer>]>([])

        /// A free handle, or one `make` allocates (`allocator` names it should that fail).
        func take(orMake make: () -> Pointer?, _ allocator: @autoclosure () -> String) -> Handle<Pointer> {
            if let handle = free.withLock({ $0.popLast() }) { return handle }
            guard let pointer = make() else { fatalError("\(allocator()) failed: out of memory") }
            return Handle(pointer: pointer)
        }

        func give(_ handle: Handle<Pointer>) {
            free.withLock { $0.append(handle) }
        }
    }

    /// An igzip state and the buffer it compresses into, kept between bodies up to `keptOutput` bytes.
    private final class CompressionStream {
        private static let keptOutput = 1 << 20
        private let state = UnsafeMutablePointer<isal_zstream>.allocate(capacity: 1)
        private var output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 16)

        init() {
            state.initialize(to: isal_zstream())
        }

        deinit {
            state.deallocate()
            output.deallocate()
        }

        /// Gives `use` the zlib stream of `input`.
        func compress<Result>(
            _ input: UnsafeRawBufferPointer, codes: HuffmanCodes?, _ use: (UnsafeBufferPointer<UInt8>) -> Result
        ) -> Result {
            defer {
                if output.count > Self.keptOutput {
                    output.deallocate()
                    output = .allocate(capacity: 1 << 16)
                }
            }
            precondition(input.count < UInt32.max / 2, "a body of \(input.count) bytes is too large to compress")
            // A stream that does not compress is stored: blocks of at most 64 KiB, 5 bytes of header each, then
            // the zlib header and checksum. The slack covers igzip's last block.
            let worstCase = input.count + 5 * (input.count / 16_383 + 1) + 64
            while true {
                if output.count < worstCase {
                    output.deallocate()
                    output = .allocate(capacity: worstCase)
                }
                isal_deflate_stateless_init(state)
                if let codes {
                    state.pointee.level = 0
                    state.pointee.hufftables = codes.tables
                } else {
                    state.pointee.level = 1
                }
                state.pointee.gzip_flag = UInt16(IGZIP_ZLIB)
                state.pointee.end_of_stream = 1
                state.pointee.flush = UInt16(NO_FLUSH)
                state.pointee.next_in = UnsafeMutablePointer(
                    mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
                state.pointee.avail_in = UInt32(input.count)
                state.pointee.next_out = output.baseAddress
                state.pointee.avail_out = UInt32(output.count)
                let status = isal_deflate_stateless(state)
                if status == COMP_OK {
                    return use(UnsafeBufferPointer(rebasing: output[..<Int(state.pointee.total_out)]))
                }
                precondition(status == STATELESS_OVERFLOW, "igzip failed (\(status)) on \(input.count) bytes")
                output.deallocate()
                output = .allocate(capacity: output.count * 2)
            }
        }
    }

    private static let streams = Pool<CompressionStream>()
    private static let decompressors = Pool<OpaquePointer>()
}
