// Playback tokens: bound to account, asset and expiry; any tampering, expiry or unknown key fails.
import Foundation
import Testing
@testable import VeritasCore

@Suite struct PlaybackTokenTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let ring = TokenKeyRing(keys: [TokenKeyRing.newKey(id: "k1", now: Date(timeIntervalSince1970: 0))])

    @Test func signedTokenVerifiesWithItsClaims() throws {
        let signer = TokenSigner(keyRing: ring)
        let text = signer.sign(accountID: "11", assetID: "22", expiresAt: 1_800_000_060)
        #expect(text.hasPrefix("11.22.1800000060.k1."))
        #expect(text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }, "URL-safe")
        let token = try signer.verify(text, now: now)
        #expect(token == PlaybackToken(accountID: "11", assetID: "22", expiresAt: 1_800_000_060, keyID: "k1"))
    }

    @Test func everyFlippedCharacterIsRejected() throws {
        let signer = TokenSigner(keyRing: ring)
        let text = Array(signer.sign(accountID: "11", assetID: "22", expiresAt: 1_800_000_060))
        for index in text.indices {
            var tampered = text
            tampered[index] = tampered[index] == "1" ? "2" : (tampered[index] == "A" ? "B" : "1")
            let result = Result { try signer.verify(String(tampered), now: now) }
            if case .success(let token) = result {
                Issue.record("accepted a token changed at \(index): \(String(tampered)) → \(token)")
            }
        }
    }

    @Test func expiredAndMalformedTokensAreRejected() throws {
        let signer = TokenSigner(keyRing: ring)
        let text = signer.sign(accountID: "1", assetID: "2", expiresAt: Int64(now.timeIntervalSince1970))
        #expect(throws: TokenRejection.expired) { try signer.verify(text, now: now) }
        for bad in ["", "a.b.c.d.e", "1.2.3.k1", "1.2.x.k1.AAAA", "../../etc/passwd", String(repeating: "1", count: 400)] {
            #expect(throws: TokenRejection.malformed) { try signer.verify(bad, now: now) }
        }
    }

    @Test func rotationKeepsOldTokensValidAndSignsWithTheNewKey() throws {
        let old = TokenSigner(keyRing: ring).sign(accountID: "1", assetID: "2", expiresAt: 1_800_000_100)
        let rotated = TokenSigner(keyRing: ring.rotated())
        #expect(rotated.keyRing.current.id == "k2")
        #expect(try rotated.verify(old, now: now).keyID == "k1")
        #expect(rotated.sign(accountID: "1", assetID: "2", expiresAt: 1_800_000_100).contains(".k2."))
        let other = TokenSigner(keyRing: TokenKeyRing(keys: [TokenKeyRing.newKey(id: "k9", now: now)]))
        #expect(throws: TokenRejection.unknownKey) { try other.verify(old, now: now) }
        let sameIDOtherSecret = TokenSigner(keyRing: TokenKeyRing(keys: [TokenKeyRing.newKey(id: "k1", now: now)]))
        #expect(throws: TokenRejection.badSignature) { try sameIDOtherSecret.verify(old, now: now) }
    }

    @Test func keyRingFileIsPrivateAndSurvivesReload() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("veritas-ring-\(UUID().uuidString).json")
        let created = try TokenKeyRing.load(file: file, environment: [:])
        #expect(try TokenKeyRing.load(file: file, environment: [:]) == created)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let fromEnvironment = try TokenKeyRing.load(file: file, environment: ["VERITAS_TOKEN_KEY": Data(repeating: 7, count: 32).base64EncodedString()])
        #expect(fromEnvironment.current.id == "env")
    }

    /// Found by the `token` fuzz target: `Int64` reads `+N` and `0N`, and the signature covers
    /// the number, so each spelling verified as the same token under a new text.
    @Test func anExpiryIsAcceptedInTheSignersSpellingOnly() throws {
        let signer = TokenSigner(keyRing: ring)
        let text = signer.sign(accountID: "11", assetID: "22", expiresAt: 1_800_000_060)
        #expect(try signer.verify(text, now: now).expiresAt == 1_800_000_060)
        for spelling in ["01800000060", "+1800000060", "0001800000060"] {
            let respelled = text.replacingOccurrences(of: ".1800000060.", with: ".\(spelling).")
            #expect(throws: TokenRejection.malformed) { try signer.verify(respelled, now: now) }
        }
    }
}
