// OAuth scopes as Mastodon reads them: broad ones cover granular ones, grants stay within the app.
import Testing
import VeritasCore

@Suite struct OAuthScopesTests {
    @Test func broadScopesCoverTheirGranularOnesAndNothingElse() {
        let read = OAuthScopes(stored: "read")
        #expect(read.allows("read:statuses") && read.allows("read") && read.allows("profile"))
        #expect(!read.allows("write:statuses") && !read.allows("admin:read") && !read.allows("write"))
        let follow = OAuthScopes(stored: "follow")
        #expect(follow.allows("write:follows") && follow.allows("read:blocks") && !follow.allows("write:statuses"))
        let admin = OAuthScopes(stored: "admin:read")
        #expect(admin.allows("admin:read:accounts") && !admin.allows("admin:write") && !admin.allows("read"))
        #expect(OAuthScopes(stored: "write:statuses").allows("write:statuses"))
        #expect(!OAuthScopes(stored: "write:statuses").allows("write:favourites"))
        #expect(OAuthScopes(stored: OAuthScopes.webSession).allows("admin:write"))
        #expect(!OAuthScopes(stored: "readwrite").allows("read"))
    }

    @Test func aGrantIsWhatWasAskedWithinWhatTheAppRegistered() throws {
        let app = OAuthScopes(stored: "read write:statuses")
        #expect(try #require(OAuthScopes(requested: "read write")).granted(within: app).text == "read write:statuses")
        #expect(try #require(OAuthScopes(requested: "read:accounts")).granted(within: app).text == "read:accounts")
        #expect(try #require(OAuthScopes(requested: "follow admin:write")).granted(within: app).isEmpty)
        #expect(OAuthScopes(requested: "read bogus") == nil)
        #expect(OAuthScopes(requested: "") == nil)
        #expect(OAuthScopes(requested: "read+write")?.names == ["read", "write"])
    }
}
