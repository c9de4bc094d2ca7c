extension WordTokenizer {
    /// For each ASCII byte: 0 for a separator, else the lower-cased byte (the low 8 bits of `asciiClasses`).
    private static let asciiLowered: [UInt8] = asciiClasses.map { UInt8(truncatingIfNeeded: $0) }

    /// The hash of each word of `bytes`, in order: the same values as the `Token.hash`es `visitTokens` gives, for
    /// shingling, which needs nothing else.
    ///
    /// An ASCII byte costs no branch: where a word ends is unpredictable, and a mispredicted branch per word cost
    /// more than hashing its bytes. Each byte stores the running hash at the next free place and moves that place
    /// on only when a word has just ended.
    /// - Returns: the hashes, and whether the text holds a letter whose NFKC form differs.
    static func wordHashes(_ bytes: UnsafeBufferPointer<UInt8>) -> (hashes: [UInt64], sawCompatibility: Bool) {
        var sawCompatibility = false
        // A word and the separator after it take at least two bytes, and so does a CJK character.
        let capacity = bytes.count / 2 + 2
        let hashes = [UInt64](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            asciiLowered.withUnsafeBufferPointer { lowered in asciiTokenMasks.withUnsafeBufferPointer { wordMasks in
                // Plain locals, not captured by a nested function, so the running hash stays in a register.
                let output = buffer.baseAddress!
                let lowered = lowered.baseAddress!
                let wordMasks = wordMasks.baseAddress!
                var count = 0
                var hash = offsetBasis
                var inWord: UInt64 = 0
                var index = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte < 0x80 {
                        // All ones for a word byte, zero for a separator: loaded, not compared, so the compiler
                        // cannot turn these selects back into branches.
                        let keep = wordMasks[Int(byte)]
                        output[count] = hash
                        count &+= Int(truncatingIfNeeded: inWord & ~keep & 1)
                        let next = (hash ^ UInt64(lowered[Int(byte)])) &* prime
                        hash = (next & keep) | (offsetBasis & ~keep)
                        inWord = keep
                        index &+= 1
                        continue
                    }
                    let (value, end) = decodeScalar(bytes, at: index)
                    let isCJK = isCJK(value)
                    if isCJK || isSeparator(value) {
                        if inWord != 0 {
                            output[count] = hash
                            count += 1
                            hash = offsetBasis
                            inWord = 0
                        }
                        if isCJK {
                            output[count] = hashBytes(bytes, index..<end)
                            count += 1
                        }
                    } else {
                        if mayNeedCompatibilityMapping(value) { sawCompatibility = true }
                        foldLetter(value, bytes, index..<end, into: &hash)
                        inWord = .max
                    }
                    index = end
                }
                if inWord != 0 {
                    output[count] = hash
                    count += 1
                }
                initialized = count
            } }
        }
        return (hashes, sawCompatibility)
    }
}
