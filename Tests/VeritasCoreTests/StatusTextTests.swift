// Status text → HTML: everything typed is inert, links, hashtags and mentions become links.
import Testing
@testable import VeritasCore

@Suite struct StatusTextTests {
    let base = "https://veritas.example"

    func html(_ text: String, mentions: [String: String] = [:]) -> String {
        StatusText(text).html(baseURL: base, mentions: mentions)
    }

    @Test func scriptTagsAndAttributesAreEscaped() {
        let out = html(#"<script>alert("x")</script><img src=x onerror='y'>"#)
        #expect(out == "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;</p>")
        #expect(!out.contains("<script") && !out.contains("<img"))
    }

    @Test func entitiesAreNotDecodedTwice() {
        #expect(html("Fish &amp; chips & tea") == "<p>Fish &amp;amp; chips &amp; tea</p>")
    }

    @Test func linksAreLinkedWithoutTrailingPunctuation() {
        let out = html("See https://example.com/a?b=1&c=2.")
        #expect(
            out == #"<p>See <a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="nofollow noopener noreferrer">example.com/a?b=1&amp;c=2</a>.</p>"#)
    }

    @Test func aLinkCannotBreakOutOfItsAttribute() {
        let out = html(#"https://evil.example/"onmouseover="alert(1)"#)
        #expect(!out.contains(#"" onmouseover"#) && !out.contains("\"onmouseover"))
    }

    @Test func hashtagsAreLinkedAndCollected() {
        let text = StatusText("Watch #Tonight and #tonight, not a#b or #123 or http://x.io/#frag")
        #expect(text.hashtags == ["tonight"])
        #expect(text.html(baseURL: base, mentions: [:]).contains(#"<a href="https://veritas.example/tags/tonight" class="mention hashtag" rel="tag">#<span>Tonight</span></a>"#))
    }

    @Test func onlyKnownMentionsAreLinked() {
        let text = StatusText("@sam hi, @nobody and me@mail.example and @remote@elsewhere.example")
        #expect(text.mentionedUsernames == ["sam", "nobody"])
        let out = text.html(baseURL: base, mentions: ["sam": "https://veritas.example/@sam"])
        #expect(out.hasPrefix(#"<p><span class="h-card"><a href="https://veritas.example/@sam" class="u-url mention">@<span>sam</span></a></span> hi, @nobody and me@mail.example"#))
    }

    @Test func newlinesBecomeBreaksAndParagraphs() {
        #expect(html("one\ntwo\n\nthree") == "<p>one<br />two</p><p>three</p>")
        #expect(html("a\r\n\r\n\r\nb") == "<p>a</p><p>b</p>")
    }

    @Test func lengthCountsEachLinkAsTwentyThree() {
        #expect(StatusText("hi https://example.com/" + String(repeating: "x", count: 200)).length == 3 + 23)
        #expect(StatusText("née 👍🏽").length == 5)
    }

    /// Found by the `status-text` fuzz target: `<` followed by a combining mark is one Character
    /// that is not `<`, so the link ran on through it (and a control character) into its text.
    @Test func aLinkEndsAtAngleBracketsAndQuotesCarryingCombiningMarksAndAtControls() {
        for end in ["<\u{338}", ">\u{301}", "\"\u{301}", "\u{0}", "\u{7}"] {
            let status = StatusText("https://example.com/a\(end)b")
            #expect(status.pieces.first == .link("https://example.com/a"), "\(end.unicodeScalars.map(\.value))")
        }
        #expect(
            html("https://x.example/<\u{338}")
                == "<p><a href=\"https://x.example/\" target=\"_blank\" rel=\"nofollow noopener noreferrer\">x.example/</a>&lt;\u{338}</p>")
    }
}
