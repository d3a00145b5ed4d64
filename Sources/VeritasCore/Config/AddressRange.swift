// CIDR ranges of IP addresses, for trusted proxies and who may read /metrics.
import Foundation

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `::1/128`; a bare address is `/32`
/// or `/128`). An IPv4-mapped IPv6 address (`::ffff:10.1.2.3`) matches IPv4 ranges.
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    let network: [UInt8]
    let prefixLength: Int
    public let description: String

    public init?(_ text: some StringProtocol) {
        let text = text.trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.bytes(of: String(parts[0])) else { return nil }
        var length = bytes.count * 8
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].utf8.count <= 3, let value = Int(parts[1]), (0...bytes.count * 8).contains(value) else {
                return nil
            }
            length = value
        }
        network = bytes
        prefixLength = length
        description = text
    }

    /// Whether `address` (text, as a socket reports it) lies in the range.
    public func contains(_ address: String) -> Bool {
        guard var bytes = Self.bytes(of: address) else { return false }
        if bytes.count == 16, network.count == 4, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == network.count else { return false }
        var remaining = prefixLength
        for index in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            guard bytes[index] & mask == network[index] & mask else { return false }
            remaining -= bits
        }
        return true
    }

    /// A comma-separated list of ranges; `invalidInput` naming the first item that does not parse.
    public static func list(_ text: String) throws(VeritasError) -> [AddressRange] {
        var ranges: [AddressRange] = []
        for item in text.split(separator: ",") where !item.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let range = AddressRange(item) else { throw .invalid("'\(item)' is not an address range such as 10.0.0.0/8") }
            ranges.append(range)
        }
        return ranges
    }

    /// Loopback only, IPv4 and IPv6.
    public static let loopback: [AddressRange] = ["127.0.0.0/8", "::1/128"].compactMap { AddressRange($0) }

    private static func bytes(of address: String) -> [UInt8]? {
        guard !address.isEmpty, address.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
