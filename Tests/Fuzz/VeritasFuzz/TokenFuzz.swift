// Playback tokens (SPEC §6): the text a stranger puts in /play/TOKEN/….
#if DEBUG
import Foundation
@testable import VeritasCore

/// Two modes, by the first byte. Even: the rest is a token text; if it verifies, it must be
/// exactly the text the signer issues for what it names (one spelling per token), fail under a
/// ring with the same key ids and other secrets, and fail with its key missing. Odd: a token is
/// signed from the input's fields, must verify to them, and then must stop verifying once one
/// byte is replaced, inserted or removed.
enum TokenFuzz {
    static let target = FuzzTarget(
        name: "token", summary: "TokenSigner.verify: one spelling per token, only under its key, tampering refused", run: run)

    /// Fixed keys, so that the corpus can hold tokens that verify.
    static let keys = [TokenKey(id: "k1", secret: secret(from: 1), createdAt: .init(timeIntervalSince1970: 0)),
        TokenKey(id: "k2", secret: secret(from: 33), createdAt: .init(timeIntervalSince1970: 0))]
    static let impostors = keys.map { TokenKey(id: $0.id, secret: secret(from: 101), createdAt: $0.createdAt) }
    static let signer = TokenSigner(keyRing: TokenKeyRing(keys: keys))
    /// Tokens in the corpus expire in 2030; this is 2027.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// 32 bytes counting up from `first`, base64.
    static func secret(from first: UInt8) -> String { Data((0..<32).map { first &+ $0 }).base64EncodedString() }

    static func run(_ input: FuzzInput) {
        var input = input
        if input.byte() & 1 == 0 { verifyText(input.text()) } else { tamper(&input) }
    }

    static func verifyText(_ text: String) {
        guard let token = try? signer.verify(text, now: now) else { return }
        require(Double(token.expiresAt) > now.timeIntervalSince1970, "an expired token verified: \(text)")
        guard let key = keys.last(where: { $0.id == token.keyID }) else {
            return require(false, "a token verified under key \(token.keyID), which the ring lacks")
        }
        let issued = TokenSigner(keyRing: TokenKeyRing(keys: [key])).sign(
            accountID: token.accountID, assetID: token.assetID, expiresAt: token.expiresAt)
        require(issued == text, "\(text) verified, but the signer spells that token \(issued)")
        do {
            _ = try TokenSigner(keyRing: TokenKeyRing(keys: impostors)).verify(text, now: now)
            require(false, "\(text) verified under other secrets")
        } catch {
            require(error == .badSignature, "\(text) under other secrets: \(error), not badSignature")
        }
        let others = keys.filter { $0.id != token.keyID }
        require((try? TokenSigner(keyRing: TokenKeyRing(keys: others)).verify(text, now: now)) == nil, "\(text) verified without its key")
    }

    static func tamper(_ input: inout FuzzInput) {
        let accountID = String(input.integer(UInt32.self)), assetID = String(input.integer(UInt64.self))
        let expiresAt = Int64(now.timeIntervalSince1970) + 1 + Int64(input.integer(UInt32.self))
        let key = keys[Int(input.byte()) % keys.count]
        let text = TokenSigner(keyRing: TokenKeyRing(keys: [key])).sign(accountID: accountID, assetID: assetID, expiresAt: expiresAt)
        let expected = PlaybackToken(accountID: accountID, assetID: assetID, expiresAt: expiresAt, keyID: key.id)
        require((try? signer.verify(text, now: now)) == expected, "the signer's own token \(text) did not verify to what it names")

        var bytes = Array(text.utf8)
        let position = Int(input.integer(UInt16.self)) % (bytes.count + 1), value = input.byte()
        switch input.byte() % 3 {
        case 0 where position < bytes.count: bytes[position] = value
        case 1: bytes.insert(value, at: position)
        case 2 where position < bytes.count: bytes.remove(at: position)
        default: return
        }
        let tampered = String(decoding: bytes, as: UTF8.self)
        guard tampered != text else { return }
        require((try? signer.verify(tampered, now: now)) == nil, "\(text) changed to \(tampered) still verified")
    }
}
#endif
