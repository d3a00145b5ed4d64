// CODECS values come from the encoded bitstream, not from assumptions.
import MediaPipeline
import Testing

@Suite struct CodecStringTests {
    @Test func highProfileLevel31FromAnSPS() {
        // AUD, then SPS (type 7): profile_idc 100, constraints 0, level_idc 31.
        let accessUnit: [UInt8] = [0, 0, 0, 1, 0x09, 0xf0, 0, 0, 0, 1, 0x67, 100, 0, 31, 0xac, 0xd9]
        #expect(CodecString.h264(annexB: accessUnit) == "avc1.64001f")
    }

    @Test func constrainedBaselineWithThreeByteStartCode() {
        #expect(CodecString.h264(annexB: [0, 0, 1, 0x27, 66, 0xc0, 30, 0x95]) == "avc1.42c01e")
    }

    @Test func noSPSMeansNoCodecString() {
        #expect(CodecString.h264(annexB: [0, 0, 1, 0x65, 0x88, 0x84]) == nil)
        #expect(CodecString.h264(annexB: []) == nil)
    }

    @Test func aacObjectTypeFromTheAudioSpecificConfig() {
        #expect(CodecString.aac(audioSpecificConfig: [0x12, 0x10]) == "mp4a.40.2")
        #expect(CodecString.aac(audioSpecificConfig: [0x2b, 0x92]) == "mp4a.40.5")
        #expect(CodecString.aac(audioSpecificConfig: []) == "mp4a.40.2")
    }
}
