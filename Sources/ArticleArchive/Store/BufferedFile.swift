#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file being written through a buffer of its own: many small writes (a pack's entries) cost few system calls,
/// and no copy of the whole file is ever in memory.
struct BufferedFile {
    static let bufferSize = 256 << 10

    private let descriptor: Int32
    /// The file's name, for errors.
    let path: String
    private var buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    /// Bytes written so far (buffered ones included).
    private(set) var count = 0

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
        buffer = .allocate(byteCount: Self.bufferSize, alignment: 16)
    }

    /// Frees the buffer (call once, last).
    func release() {
        buffer.deallocate()
    }

    /// Appends bytes.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        count += bytes.count
        if buffered + bytes.count > buffer.count {
            try flush()
            if bytes.count >= buffer.count {
                try Self.writeAll(bytes, to: descriptor, path: path)
                return
            }
        }
        UnsafeMutableRawBufferPointer(rebasing: buffer[buffered..<(buffered + bytes.count)]).copyMemory(from: bytes)
        buffered += bytes.count
    }

    /// Appends bytes.
    mutating func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Writes what is buffered to the file.
    mutating func flush() throws {
        guard buffered > 0 else { return }
        try Self.writeAll(UnsafeRawBufferPointer(rebasing: buffer[..<buffered]), to: descriptor, path: path)
        buffered = 0
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, operation: "write", errno: errno)
            }
            offset += written
        }
    }
}
