/// ASCII classes of a UTF-8 byte, for the scanners that work on bytes (URLs, lines, headlines): a byte of a
/// multi-byte scalar is in none of them and lower-cases to itself.
extension UInt8 {
    /// `A`-`Z` or `a`-`z`.
    @inline(__always)
    var isASCIILetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }

    /// `0`-`9`.
    @inline(__always)
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }

    /// `0`-`9`, `a`-`f` or `A`-`F`.
    @inline(__always)
    var isASCIIHexDigit: Bool { isASCIIDigit || ((self | 0x20) >= 0x61 && (self | 0x20) <= 0x66) }

    /// The byte with an ASCII capital lower-cased.
    @inline(__always)
    var asciiLowercased: UInt8 { self >= 0x41 && self <= 0x5A ? self | 0x20 : self }
}
