// Server secrets: from the environment when given, otherwise generated once into Media/secrets.
import Crypto
import Foundation

/// Loads named random secrets, creating each on first use as a 0600 file.
public struct SecretStore: Sendable {
    let directory: URL
    let environment: [String: String]

    public init(directory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.directory = directory
        self.environment = environment
    }

    /// The secret `name` (`byteCount` random bytes). `VERITAS_<NAME>` in the environment, as
    /// base64, takes precedence over the file.
    public func key(named name: String, byteCount: Int = 32) throws -> Data {
        let variable = "VERITAS_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
        if let encoded = environment[variable] {
            guard let data = Data(base64Encoded: encoded), data.count == byteCount else {
                throw VeritasError.invalid("\(variable) must be \(byteCount) bytes in base64")
            }
            return data
        }
        let file = directory.appendingPathComponent(name + ".key")
        if let data = try? Data(contentsOf: file) {
            guard data.count == byteCount else {
                throw VeritasError(.storage, "\(file.path) is damaged: expected \(byteCount) bytes")
            }
            return data
        }
        return try create(file, byteCount: byteCount)
    }

    /// Writes a new secret to a private temporary file, then links it into place so that two
    /// processes starting at once agree on one secret (the loser reads the winner's).
    private func create(_ file: URL, byteCount: Int) throws -> Data {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let bytes = SymmetricKey(size: SymmetricKeySize(bitCount: byteCount * 8)).withUnsafeBytes { Data($0) }
        let temporary = directory.appendingPathComponent(".\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
            throw VeritasError(.storage, "cannot write a secret into \(directory.path)")
        }
        defer { unlink(temporary.path) }
        if link(temporary.path, file.path) != 0 {
            guard errno == EEXIST, let existing = try? Data(contentsOf: file), existing.count == byteCount else {
                throw VeritasError(.storage, "cannot create \(file.path): \(String(cString: strerror(errno)))")
            }
            return existing
        }
        return bytes
    }
}
