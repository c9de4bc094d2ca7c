import Foundation

/// The host of an article's URL, as `URLComponents` finds it, which names the article's source.
enum URLHost {
    /// The URL's host, lower-cased, as `URLComponents` finds it; `nil` when it finds none.
    static func of(_ url: String) -> String? {
        if let plain = plain(url) { return plain }
        return URLComponents(string: url)?.host?.lowercased()
    }

    /// The host, lower-cased, of a URL of the plain shape most are: `scheme://host` then a path, query or fragment,
    /// in ASCII characters a URL may hold unescaped, the host only letters, digits, dots and hyphens (no user, port,
    /// address literal or punycode label). `nil` for any other URL, which `URLComponents` then parses (a tenth of
    /// the cost of identifying an arrival otherwise went there).
    static func plain(_ url: String) -> String? {
        var url = url
        return url.withUTF8 { bytes -> String? in
            let count = bytes.count
            // The scheme: a letter, then letters, digits, "+", "-", "."; then "://".
            guard count > 3, bytes[0].isASCIILetter else { return nil }
            var index = 1
            while index < count, bytes[index].isASCIILetter || bytes[index].isASCIIDigit
                || bytes[index] == 0x2B || bytes[index] == 0x2D || bytes[index] == 0x2E {
                index += 1
            }
            guard index + 3 <= count, bytes[index] == 0x3A, bytes[index + 1] == 0x2F, bytes[index + 2] == 0x2F else {
                return nil
            }
            index += 3
            let hostStart = index
            while index < count, bytes[index].isASCIILetter || bytes[index].isASCIIDigit
                || bytes[index] == 0x2D || bytes[index] == 0x2E {
                index += 1
            }
            let hostEnd = index
            guard hostEnd > hostStart else { return nil }
            guard index == count || bytes[index] == 0x2F || bytes[index] == 0x3F || bytes[index] == 0x23 else {
                return nil
            }
            // The rest: characters allowed in a path, query or fragment, "%" only before two hex digits, one "#".
            var sawFragment = false
            while index < count {
                let byte = bytes[index]
                if byte == 0x23 {
                    guard !sawFragment else { return nil }
                    sawFragment = true
                } else if byte == 0x25 {
                    guard index + 2 < count, bytes[index + 1].isASCIIHexDigit, bytes[index + 2].isASCIIHexDigit else {
                        return nil
                    }
                    index += 2
                } else if !isAllowedUnescaped(byte) {
                    return nil
                }
                index += 1
            }
            // Lower-cased as it is copied, into the string itself (a short host needs no allocation at all).
            let name = String(unsafeUninitializedCapacity: hostEnd - hostStart) { host in
                for (position, byte) in bytes[hostStart..<hostEnd].enumerated() {
                    host[position] = byte.asciiLowercased
                }
                return hostEnd - hostStart
            }
            // Punycode labels ("xn--"): URLComponents gives them decoded.
            return name.utf8.count >= 4 && name.contains("xn--") ? nil : name
        }
    }

    /// Unreserved characters, sub-delimiters, ":", "/", "?" (RFC 3986: what a path, query or fragment holds as is;
    /// "@" left out, though allowed there, to keep the shape plain).
    private static func isAllowedUnescaped(_ byte: UInt8) -> Bool {
        if byte.isASCIILetter || byte.isASCIIDigit { return true }
        switch byte {
        case 0x2D, 0x2E, 0x5F, 0x7E: return true  // - . _ ~
        case 0x21, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3B, 0x3D: return true  // ! $ & ' ( ) * + , ; =
        case 0x3A, 0x2F, 0x3F: return true  // : / ?
        default: return false
        }
    }
}
