import CISAL

/// Huffman codes fitted to a sample of bodies, for igzip's fastest level (0) to compress with.
///
/// igzip's level 1 fits codes to each body, and for bodies of a few KB that is a third of its time. Level 0 with the
/// codes of bodies like them (the previous batch's) compressed the 10k benchmark feed to 0.566 of its size at
/// 485 MB/s a core, where level 1 made 0.555 at 266 MB/s and level 0 with igzip's generic codes 0.656; codes fitted
/// to one feed and used on another (WCXB pages) made 0.582. Every stream still carries its codes: git and zlib read
/// it as any other.
public final class HuffmanCodes: @unchecked Sendable {
    // Written once, by `init`; only read afterwards, by any thread.
    let tables: UnsafeMutablePointer<isal_hufftables>

    /// The bytes of bodies sampled (the first ones, up to this many): a larger sample fitted no better codes.
    static let sampleBytes = 1 << 19
    /// Fewer bytes than this make no codes: rare bytes would get no say, and long codes.
    static let minimumSampleBytes = 1 << 16

    /// Codes fitted to the first `sampleBytes` of `bodies`, or `nil` when they hold fewer than `minimumSampleBytes`.
    public init?(fittedTo bodies: some Sequence<[UInt8]>) {
        let histogram = UnsafeMutablePointer<isal_huff_histogram>.allocate(capacity: 1)
        defer { histogram.deallocate() }
        histogram.initialize(to: isal_huff_histogram())
        var sampled = 0
        for body in bodies where sampled < Self.sampleBytes && !body.isEmpty {
            let length = min(body.count, Self.sampleBytes - sampled)
            body.withUnsafeBufferPointer {
                isal_update_histogram(UnsafeMutablePointer(mutating: $0.baseAddress), Int32(length), histogram)
            }
            sampled += length
        }
        guard sampled >= Self.minimumSampleBytes else { return nil }
        tables = .allocate(capacity: 1)
        tables.initialize(to: isal_hufftables())
        // Every literal gets a code, seen in the sample or not, so any body can be compressed with them.
        guard isal_create_hufftables(tables, histogram) == 0 else {
            tables.deallocate()
            return nil
        }
    }

    deinit {
        tables.deallocate()
    }
}
