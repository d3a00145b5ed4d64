// Playlist text per RFC 8216: versions, target duration, keys, VOD/EVENT, master attributes.
import MediaPipeline
import Testing

@Suite struct PlaylistTests {
    let segments = [
        SegmentRecord(uri: "s00000.ts", duration: 6.006, byteCount: 600_000),
        SegmentRecord(uri: "s00001.ts", duration: 6.4, byteCount: 1_600_000),
        SegmentRecord(uri: "s00002.ts", duration: 2.0, byteCount: 200_000),
    ]

    @Test func vodMediaPlaylistListsEncryptedSegmentsAndEnds() {
        let text = MediaPlaylist(segments: segments).render()
        #expect(text.hasPrefix("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:0\n"))
        #expect(text.contains("#EXT-X-PLAYLIST-TYPE:VOD\n"))
        #expect(text.contains("#EXT-X-KEY:METHOD=AES-128,URI=\"veritas:key\"\n#EXTINF:6.006,\ns00000.ts\n"))
        #expect(text.hasSuffix("#EXTINF:2.000,\ns00002.ts\n#EXT-X-ENDLIST\n"))
    }

    @Test func targetDurationIsTheLongestSegmentRounded() {
        #expect(MediaPlaylist(segments: segments).targetDuration == 6)
        let long = segments + [SegmentRecord(uri: "x", duration: 6.5, byteCount: 1)]
        #expect(MediaPlaylist(segments: long).targetDuration == 7)
    }

    @Test func eventPlaylistHasNoEndList() {
        let text = MediaPlaylist(segments: segments, isComplete: false).render()
        #expect(text.contains("#EXT-X-PLAYLIST-TYPE:EVENT"))
        #expect(!text.contains("ENDLIST"))
    }

    @Test func iFramePlaylistNeedsVersionFour() {
        let text = MediaPlaylist(segments: segments, iFramesOnly: true).render()
        #expect(text.contains("#EXT-X-VERSION:4\n"))
        #expect(text.contains("#EXT-X-I-FRAMES-ONLY\n"))
    }

    @Test func bitRatesAreMeasuredFromSegmentSizes() {
        let playlist = MediaPlaylist(segments: segments)
        #expect(playlist.peakBitrate == 2_000_000)
        #expect(playlist.averageBitrate == Int((2_400_000.0 * 8 / 14.406).rounded(.up)))
    }

    @Test func masterListsVariantsAudioGroupAndIFrames() {
        let master = MasterPlaylist(
            variants: [
                .init(uri: "720p/index.m3u8", bandwidth: 3_300_000, averageBandwidth: 3_100_000, codecs: "avc1.64001f,mp4a.40.2",
                      width: 1280, height: 720, frameRate: 29.97, audioGroup: "audio"),
                .init(uri: "audio/index.m3u8", bandwidth: 140_000, averageBandwidth: 130_000, codecs: "mp4a.40.2", audioGroup: "audio"),
            ],
            audio: .init(groupID: "audio", name: "Main", uri: "audio/index.m3u8", channels: 2),
            iFrameVariants: [.init(uri: "720p/iframes.m3u8", bandwidth: 400_000, averageBandwidth: 200_000, codecs: "avc1.64001f", width: 1280, height: 720)])
        let text = master.render()
        #expect(text.contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"Main\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"audio/index.m3u8\"\n"))
        #expect(text.contains("#EXT-X-STREAM-INF:BANDWIDTH=3300000,AVERAGE-BANDWIDTH=3100000,CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=29.970,AUDIO=\"audio\"\n720p/index.m3u8\n"))
        #expect(text.contains("#EXT-X-STREAM-INF:BANDWIDTH=140000,AVERAGE-BANDWIDTH=130000,CODECS=\"mp4a.40.2\",AUDIO=\"audio\"\naudio/index.m3u8\n"))
        #expect(text.contains("#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=200000,CODECS=\"avc1.64001f\",RESOLUTION=1280x720,URI=\"720p/iframes.m3u8\"\n"))
    }

    @Test func masterWithoutAudioHasNoAudioGroup() {
        let text = MasterPlaylist(variants: [.init(uri: "v/index.m3u8", bandwidth: 1, averageBandwidth: 1, codecs: "avc1.640028", width: 2, height: 2)]).render()
        #expect(!text.contains("EXT-X-MEDIA"))
        #expect(!text.contains("AUDIO="))
    }
}
