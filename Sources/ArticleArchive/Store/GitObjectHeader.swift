/// The header git puts before an object's content: `"<type> <decimal length>\0"`.
struct GitObjectHeader: Equatable {
    let type: String
    let length: Int

    static func blob(length: Int) -> GitObjectHeader { GitObjectHeader(type: "blob", length: length) }

    var bytes: [UInt8] { Array("\(type) \(length)".utf8) + [0] }

    /// Parses the header at the start of a decompressed object.
    /// - Returns: the header and the offset at which the content starts, or `nil` if the bytes hold no valid header.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> (header: GitObjectHeader, contentOffset: Int)? {
        let limit = min(bytes.count, 32)
        guard let space = (0..<limit).first(where: { bytes[$0] == UInt8(ascii: " ") }),
              let nul = (space..<limit).first(where: { bytes[$0] == 0 }) else { return nil }
        let type = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<space]), as: UTF8.self)
        let digits = UnsafeRawBufferPointer(rebasing: bytes[(space + 1)..<nul])
        guard !digits.isEmpty, digits.count <= 19,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              digits.count == 1 || digits[0] != UInt8(ascii: "0"),
              let length = Int(String(decoding: digits, as: UTF8.self)) else { return nil }
        return (GitObjectHeader(type: type, length: length), nul + 1)
    }
}
