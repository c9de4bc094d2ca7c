import Foundation
import Testing
@testable import ArticleArchive

@Suite("Deflate")
struct DeflateTests {
    private let body = Array(
        String(repeating: "Officials said on Monday that the bridge would open in spring.\n", count: 40).utf8)

    private func compressed(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { Deflate.compress($0) }
    }

    private func decompress(_ stream: [UInt8], size: Int, allowingTrailingBytes: Bool = false) throws -> [UInt8] {
        try stream.withUnsafeBytes {
            try Deflate.decompress($0, size: size, allowingTrailingBytes: allowingTrailingBytes)
        }
    }

    @Test("a stream inflates to its body, with libdeflate as with zlib; an empty body too")
    func roundTrips() throws {
        let stream = compressed(body)
        #expect(try decompress(stream, size: body.count) == body)
        #expect(try stream.withUnsafeBytes { try Zlib.decompress($0) } == body)
        #expect(try decompress(compressed([]), size: 0) == [])
    }

    @Test("bytes after the stream are an error unless allowed, and then ignored")
    func trailingBytes() throws {
        let stream = compressed(body) + [1, 2, 3]
        #expect(throws: ZlibError.self) { try decompress(stream, size: body.count) }
        #expect(try decompress(stream, size: body.count, allowingTrailingBytes: true) == body)
    }

    @Test("a truncated or damaged stream, or one larger than its size, is an error; a larger size gives the body")
    func damage() throws {
        let stream = compressed(body)
        #expect(throws: ZlibError.self) { try decompress(Array(stream.dropLast(8)), size: body.count) }
        var flipped = stream
        flipped[0] ^= 0xFF
        #expect(throws: ZlibError.self) { try decompress(flipped, size: body.count) }
        #expect(throws: ZlibError.tooLarge(body.count - 1)) { try decompress(stream, size: body.count - 1) }
        #expect(try decompress(stream, size: body.count + 10) == body)
    }
}
