// The API's one date format: ISO 8601 in UTC with milliseconds, as Mastodon writes it.
import Foundation
import Testing
@testable import VeritasServer

@Suite struct APIJSONTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (1_795_441_338.123, "2026-11-23T13:42:18.123Z"),
        (-1.5, "1969-12-31T23:59:58.500Z"), (951_782_400.999, "2000-02-29T00:00:00.999Z"),
    ])
    func timestampsAreISO8601WithMilliseconds(seconds: Double, expected: String) {
        #expect(APIJSON.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
