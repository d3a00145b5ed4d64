// CIDR ranges for trusted proxies and the metrics allow-list.
import Testing
import VeritasCore

@Suite struct AddressRangeTests {
    @Test func rangesMatchTheirAddressesOnly() throws {
        let private10 = try #require(AddressRange("10.0.0.0/8"))
        #expect(private10.contains("10.200.3.4") && !private10.contains("11.0.0.1") && private10.contains("::ffff:10.1.2.3"))
        let single = try #require(AddressRange("192.0.2.7"))
        #expect(single.contains("192.0.2.7") && !single.contains("192.0.2.8"))
        let odd = try #require(AddressRange("198.51.100.0/22"))
        #expect(odd.contains("198.51.103.255") && !odd.contains("198.51.104.0"))
        let v6 = try #require(AddressRange("2001:db8::/32"))
        #expect(v6.contains("2001:db8:1::5") && !v6.contains("2001:db9::1") && !v6.contains("10.0.0.1"))
        #expect(AddressRange.loopback.contains { $0.contains("127.0.0.1") } && AddressRange.loopback.contains { $0.contains("::1") })
        #expect(!private10.contains("not an address") && !private10.contains(""))
    }

    @Test func malformedRangesAreRefused() {
        for bad in ["10.0.0.0/33", "10.0.0/8", "::/129", "10.0.0.0/", "/8", "example.com", "10.0.0.0/-1", "1.2.3.4/8/9"] {
            #expect(AddressRange(bad) == nil, "\(bad)")
        }
        #expect(throws: VeritasError.self, "a list with a bad item parsed") { try AddressRange.list("127.0.0.1/32, nonsense") }
        #expect((try? AddressRange.list(" 127.0.0.1/32 ,::1 "))?.count == 2)
    }
}
