// RFC 6381 codec strings for the master playlist, read from the encoders' real output.
/// Builds `CODECS` attribute values from encoded bitstreams.
public enum CodecString {
    /// `avc1.PPCCLL` from the first sequence parameter set in an Annex B H.264 access unit, or nil
    /// when there is none.
    public static func h264(annexB bytes: [UInt8]) -> String? {
        var index = 0
        while index + 3 < bytes.count {
            // A start code is 00 00 01 (a four-byte 00 00 00 01 ends the same way).
            if bytes[index] == 0, bytes[index + 1] == 0, bytes[index + 2] == 1 {
                let header = index + 3
                if bytes[header] & 0x1f == 7, header + 3 < bytes.count {
                    let profile = bytes[header + 1], constraints = bytes[header + 2], level = bytes[header + 3]
                    return "avc1." + hex(profile) + hex(constraints) + hex(level)
                }
                index = header
            } else {
                index += 1
            }
        }
        return nil
    }

    /// `mp4a.40.N` from an AAC AudioSpecificConfig (N is the audio object type; 2 is AAC-LC).
    public static func aac(audioSpecificConfig config: [UInt8]) -> String {
        guard let first = config.first else { return "mp4a.40.2" }
        let objectType = Int(first >> 3)
        return "mp4a.40.\(objectType == 0 ? 2 : objectType)"
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}
