// Malformed forms and query strings are the client's mistake: a 4xx, never a 500.
import Foundation
import Hummingbird
import Testing
@testable import VeritasServer

@Suite struct FormDecodingTests {
    /// Found by the `form` fuzz target: `decodeQuery` (the OAuth authorize page's query) passes
    /// Hummingbird's own form errors through, which the error middleware answered with a 500.
    @Test(arguments: ["client_id=a&client_id=b", "scope[=x", "a[0]=1&a[2]=2", "state=%zz"])
    func aMalformedQueryIsABadRequest(query: String) {
        do {
            _ = try URLEncodedFormDecoder().decode(OAuthController.AuthorizeQuery.self, from: query)
            Issue.record("\(query) decoded")
        } catch {
            #expect(APIError.from(error).status == .badRequest, "\(error)")
        }
    }

    @Test(arguments: ["username[=x", "a=1&a=2", "email=%"])
    func aMalformedFormBodyIsABadRequest(body: String) {
        #expect {
            _ = try VeritasRequestDecoder.decode(
                OAuthController.TokenParameters.self, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
        } throws: { error in
            (error as? APIError)?.status == .badRequest
        }
    }
}
