// HLS METHOD=AES-128: whole-segment AES-128-CBC with PKCS#7 padding (RFC 8216 §5.2).
import CFFmpeg

/// Encrypts and decrypts whole HLS segments with one 16-byte content key.
public struct SegmentCipher: Sendable {
    /// The 16-byte AES-128 key.
    public let key: [UInt8]

    /// Creates a cipher; the key must be exactly 16 bytes.
    public init(key: [UInt8]) throws {
        guard key.count == 16 else { throw MediaError("an AES-128 key is 16 bytes, not \(key.count)") }
        self.key = key
    }

    /// A new random content key from the system's secure generator.
    public static func randomKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The IV a player derives when EXT-X-KEY has none: the media sequence number as a 128-bit
    /// big-endian integer.
    public static func iv(sequenceNumber: Int) -> [UInt8] {
        var iv = [UInt8](repeating: 0, count: 16)
        var value = UInt64(sequenceNumber)
        for index in stride(from: 15, through: 8, by: -1) {
            iv[index] = UInt8(value & 0xff)
            value >>= 8
        }
        return iv
    }

    /// Pads `plaintext` (PKCS#7) and encrypts it in CBC mode.
    public func encrypt(_ plaintext: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        let padding = 16 - plaintext.count % 16
        var input = plaintext
        input.append(contentsOf: repeatElement(UInt8(padding), count: padding))
        return try crypt(input, iv: iv, decrypt: false)
    }

    /// Decrypts a CBC ciphertext and strips its PKCS#7 padding.
    public func decrypt(_ ciphertext: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else { throw MediaError("ciphertext is not whole blocks") }
        let output = try crypt(ciphertext, iv: iv, decrypt: true)
        guard let padding = output.last, (1...16).contains(padding),
            output.suffix(Int(padding)).allSatisfy({ $0 == padding })
        else { throw MediaError("bad padding: wrong key or IV") }
        return Array(output.dropLast(Int(padding)))
    }

    private func crypt(_ input: [UInt8], iv: [UInt8], decrypt: Bool) throws -> [UInt8] {
        guard iv.count == 16 else { throw MediaError("an AES-128 IV is 16 bytes") }
        guard let aes = av_aes_alloc() else { throw MediaError("out of memory allocating AES") }
        defer { av_free(UnsafeMutableRawPointer(aes)) }
        try check(av_aes_init(aes, key, 128, decrypt ? 1 : 0), "cannot set up AES")
        var chain = iv
        var output = [UInt8](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                av_aes_crypt(aes, destination.baseAddress, source.baseAddress, Int32(input.count / 16), &chain, decrypt ? 1 : 0)
            }
        }
        return output
    }
}
