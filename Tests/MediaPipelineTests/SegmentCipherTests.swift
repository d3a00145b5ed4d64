// HLS AES-128: our CBC+PKCS#7 output must decrypt with openssl, as players do.
import Foundation
import MediaPipeline
import TestSupport
import Testing

@Suite struct SegmentCipherTests {
    @Test func ivIsTheSequenceNumberBigEndian() {
        #expect(SegmentCipher.iv(sequenceNumber: 0) == [UInt8](repeating: 0, count: 16))
        #expect(SegmentCipher.iv(sequenceNumber: 258) == [UInt8](repeating: 0, count: 14) + [1, 2])
    }

    @Test func roundTripsEveryLengthAroundABlock() throws {
        let cipher = try SegmentCipher(key: SegmentCipher.randomKey())
        for length in [0, 1, 15, 16, 17, 4096] {
            let plaintext = (0..<length).map { UInt8($0 % 251) }
            let encrypted = try cipher.encrypt(plaintext, iv: SegmentCipher.iv(sequenceNumber: 7))
            #expect(encrypted.count == (length / 16 + 1) * 16)
            #expect(try cipher.decrypt(encrypted, iv: SegmentCipher.iv(sequenceNumber: 7)) == plaintext)
        }
    }

    @Test func opensslDecryptsWhatWeEncrypt() throws {
        let key = SegmentCipher.randomKey()
        let plaintext = Array("a transport stream would be here, but any bytes do".utf8)
        let encrypted = try SegmentCipher(key: key).encrypt(plaintext, iv: SegmentCipher.iv(sequenceNumber: 3))
        let folder = try Fixtures.scratchDirectory("cipher")
        try Data(encrypted).write(to: folder.appendingPathComponent("s.ts"))
        let clear = try HLSInspector(directory: folder, key: key).decrypt("s.ts", sequenceNumber: 3)
        #expect(try Data(contentsOf: clear) == Data(plaintext))
    }

    @Test func wrongKeyDoesNotDecrypt() throws {
        let encrypted = try SegmentCipher(key: SegmentCipher.randomKey()).encrypt([1, 2, 3], iv: SegmentCipher.iv(sequenceNumber: 0))
        let other = try SegmentCipher(key: SegmentCipher.randomKey())
        // A wrong key yields garbage: either its padding fails or the bytes differ.
        let decrypted = try? other.decrypt(encrypted, iv: SegmentCipher.iv(sequenceNumber: 0))
        #expect(decrypted != [1, 2, 3])
        #expect(throws: MediaError.self) { try SegmentCipher(key: [1, 2, 3]) }
    }
}
