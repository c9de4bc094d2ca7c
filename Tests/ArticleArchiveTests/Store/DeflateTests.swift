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

    @Test("bytes that do not compress (stored blocks, past 64 KiB) and a prefix kept before the stream round-trip")
    func incompressibleAndPrefixed() throws {
        var generator = SystemRandomNumberGenerator()
        for size in [1, 100, 65_535, 65_536, 300_001] {
            let noise = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let stream = compressed(noise)
            #expect(stream.count > size, "stored, not compressed")
            #expect(try decompress(stream, size: size) == noise)
            #expect(try stream.withUnsafeBytes { try Zlib.decompress($0) } == noise)
        }
        let prefix: [UInt8] = [0xB3, 0x28]
        let entry = body.withUnsafeBytes { Deflate.compress($0, after: prefix) }
        #expect(Array(entry.prefix(2)) == prefix)
        #expect(Array(entry.dropFirst(2)) == compressed(body))
    }

    @Test("codes fitted to sample bodies compress any body, bytes the sample never had too, into streams that inflate")
    func fittedCodes() throws {
        #expect(HuffmanCodes(fittedTo: [body]) == nil, "a sample under 64 KiB makes no codes")
        let sample = (0..<40).map { index in
            Array("Story \(index): officials said on Monday that the bridge would open in spring. ".utf8) + body
        }
        let codes = try #require(HuffmanCodes(fittedTo: sample))
        var generator = SplitMix(seed: 3)
        let noise = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let others = [body, [], Array("東京都は月曜日、新しい橋が春に開通すると発表した。".utf8), noise]
        for other in others {
            let stream = other.withUnsafeBytes { Deflate.compress($0, codes: codes) }
            #expect(try decompress(stream, size: other.count) == other)
            #expect(try stream.withUnsafeBytes { try Zlib.decompress($0) } == other)
        }
        let fitted = body.withUnsafeBytes { Deflate.compress($0, codes: codes) }
        #expect(fitted != compressed(body), "made at level 0 with the codes, not at level 1")
        #expect(fitted.count < body.count / 4, "the text the codes were fitted to compresses well with them")
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
