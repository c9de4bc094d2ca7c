import Crypto

/// One place for the SHA-256 calls the store makes.
enum SHA256Hashing {
    static func hash(_ bytes: UnsafeRawBufferPointer) -> SHA256.Digest {
        SHA256.hash(data: bytes)
    }
}
