// Settings: Config/veritas.json, each overridable by a VERITAS_* environment variable.
import Foundation
import MediaPipeline

/// Every operator setting, loaded once at start.
public struct VeritasConfig: Sendable, Equatable {
    /// All runtime data: database, media, uploads, secrets.
    public var mediaDirectory: String = "Media"
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Base of every absolute URL the server emits; defaults to `http://host:port`.
    public var publicURL: String?
    /// Playback token lifetime in seconds.
    public var tokenTTL: Int = 21_600
    public var logLevel: String = "info"
    /// How long the server trusts an entitlement check before asking the database again; bounds
    /// how late a revocation takes effect on already-issued tokens.
    public var entitlementCacheSeconds: Int = 30
    /// bcrypt cost for passwords (each step doubles the work).
    public var bcryptCost: UInt8 = 11
    public var transcode = TranscodeSettings()
    /// The largest upload accepted (`Tus-Max-Size`), in bytes.
    public var uploadMaxBytes: Int64 = 50 << 30
    /// An unfinished upload untouched this many seconds is removed.
    public var uploadExpirySeconds: Int = 86_400
    /// Ingest jobs run at once by `veritas serve`.
    public var jobConcurrency: Int = 1
    /// How long a worker's claim on a job lasts without a heartbeat; a crashed server's jobs are
    /// taken over after this.
    public var jobLeaseSeconds: Int = 30
    /// Whether SPEC §13's rate limits apply (`VERITAS_RATE_LIMITS=off` is for benchmarks).
    public var rateLimits = true
    /// Peers whose `X-Forwarded-For` names the client (reverse proxies); nobody by default.
    public var trustedProxies: [AddressRange] = []
    /// Addresses that may read `/metrics` without an admin token.
    public var metricsAllow: [AddressRange] = AddressRange.loopback

    public init() {}

    /// The public base URL without a trailing slash.
    public var resolvedPublicURL: String {
        let url = publicURL ?? "http://\(host):\(port)"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// The default configuration file, relative to the working directory.
    public static let defaultPath = "Config/veritas.json"

    /// Loads the file at `path` (or `VERITAS_CONFIG`, or `Config/veritas.json` when present), then
    /// applies environment overrides.
    public static func load(path explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> VeritasConfig {
        var config = VeritasConfig()
        let path = explicitPath ?? environment["VERITAS_CONFIG"]
        if let path {
            guard FileManager.default.fileExists(atPath: path) else {
                throw VeritasError.invalid("configuration file \(path) does not exist")
            }
            try config.apply(file: path)
        } else if FileManager.default.fileExists(atPath: defaultPath) {
            try config.apply(file: defaultPath)
        }
        try config.apply(environment: environment)
        return config
    }

    /// The file's shape: every key optional, missing ones keep their defaults.
    private struct File: Decodable {
        struct Step: Decodable {
            var shortSide: Int
            var bitrate: Int
        }
        var mediaDir: String?
        var host: String?
        var port: Int?
        var publicURL: String?
        var tokenTTL: Int?
        var logLevel: String?
        var bcryptCost: UInt8?
        var entitlementCacheSeconds: Int?
        var x264Preset: String?
        var audioBitrate: Int?
        var segmentDuration: Double?
        var keyframeInterval: Double?
        var ladder: [Step]?
        var uploadMaxSize: Int64?
        var uploadExpiry: Int?
        var jobConcurrency: Int?
        var jobLeaseSeconds: Int?
    }

    private mutating func apply(file path: String) throws {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw VeritasError.invalid("cannot read configuration file \(path): \(error)")
        }
        mediaDirectory = file.mediaDir ?? mediaDirectory
        host = file.host ?? host
        port = file.port ?? port
        publicURL = file.publicURL ?? publicURL
        tokenTTL = file.tokenTTL ?? tokenTTL
        logLevel = file.logLevel ?? logLevel
        bcryptCost = file.bcryptCost ?? bcryptCost
        entitlementCacheSeconds = file.entitlementCacheSeconds ?? entitlementCacheSeconds
        transcode.x264Preset = file.x264Preset ?? transcode.x264Preset
        transcode.audioBitrate = file.audioBitrate ?? transcode.audioBitrate
        transcode.segmentDuration = file.segmentDuration ?? transcode.segmentDuration
        transcode.keyframeInterval = file.keyframeInterval ?? transcode.keyframeInterval
        if let ladder = file.ladder { transcode.ladder = ladder.map { LadderStep(shortSide: $0.shortSide, bitrate: $0.bitrate) } }
        uploadMaxBytes = file.uploadMaxSize ?? uploadMaxBytes
        uploadExpirySeconds = file.uploadExpiry ?? uploadExpirySeconds
        jobConcurrency = file.jobConcurrency ?? jobConcurrency
        jobLeaseSeconds = file.jobLeaseSeconds ?? jobLeaseSeconds
        try validate(source: path)
    }

    private mutating func apply(environment: [String: String]) throws {
        func integer(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text) else { throw VeritasError.invalid("\(name) must be a whole number, not \(text)") }
            return value
        }
        func number(_ name: String) throws -> Double? {
            guard let text = environment[name] else { return nil }
            guard let value = Double(text) else { throw VeritasError.invalid("\(name) must be a number, not \(text)") }
            return value
        }
        mediaDirectory = environment["VERITAS_MEDIA_DIR"] ?? mediaDirectory
        host = environment["VERITAS_HOST"] ?? host
        port = try integer("VERITAS_PORT") ?? port
        publicURL = environment["VERITAS_PUBLIC_URL"] ?? publicURL
        tokenTTL = try integer("VERITAS_TOKEN_TTL") ?? tokenTTL
        logLevel = environment["VERITAS_LOG_LEVEL"] ?? logLevel
        bcryptCost = try integer("VERITAS_BCRYPT_COST").map { UInt8(clamping: $0) } ?? bcryptCost
        entitlementCacheSeconds = try integer("VERITAS_ENTITLEMENT_CACHE_SECONDS") ?? entitlementCacheSeconds
        transcode.x264Preset = environment["VERITAS_X264_PRESET"] ?? transcode.x264Preset
        transcode.audioBitrate = try integer("VERITAS_AUDIO_BITRATE") ?? transcode.audioBitrate
        transcode.segmentDuration = try number("VERITAS_SEGMENT_DURATION") ?? transcode.segmentDuration
        transcode.keyframeInterval = try number("VERITAS_KEYFRAME_INTERVAL") ?? transcode.keyframeInterval
        if let ladder = environment["VERITAS_LADDER"] { transcode.ladder = try Self.parseLadder(ladder) }
        uploadMaxBytes = try integer("VERITAS_UPLOAD_MAX_SIZE").map(Int64.init) ?? uploadMaxBytes
        uploadExpirySeconds = try integer("VERITAS_UPLOAD_EXPIRY") ?? uploadExpirySeconds
        jobConcurrency = try integer("VERITAS_JOB_CONCURRENCY") ?? jobConcurrency
        jobLeaseSeconds = try integer("VERITAS_JOB_LEASE_SECONDS") ?? jobLeaseSeconds
        if let text = environment["VERITAS_RATE_LIMITS"] {
            guard let value = ["on": true, "off": false][text.lowercased()] else {
                throw VeritasError.invalid("VERITAS_RATE_LIMITS must be on or off, not \(text)")
            }
            rateLimits = value
        }
        if let text = environment["VERITAS_TRUSTED_PROXIES"] { trustedProxies = try AddressRange.list(text) }
        if let text = environment["VERITAS_METRICS_ALLOW"] { metricsAllow = try AddressRange.list(text) }
        try validate(source: "the environment")
    }

    /// Parses `1080:5000000,720:3000000` (short side, bits per second).
    static func parseLadder(_ text: String) throws -> [LadderStep] {
        try text.split(separator: ",").map { item in
            let parts = item.split(separator: ":")
            guard parts.count == 2, let side = Int(parts[0]), let bitrate = Int(parts[1]) else {
                throw VeritasError.invalid("VERITAS_LADDER items are SHORTSIDE:BITRATE, not \(item)")
            }
            return LadderStep(shortSide: side, bitrate: bitrate)
        }
    }

    private func validate(source: String) throws {
        guard (1...65_535).contains(port) else { throw VeritasError.invalid("port \(port) from \(source) is out of range") }
        guard (0...60).contains(entitlementCacheSeconds) else {
            throw VeritasError.invalid("entitlement cache seconds from \(source) must be 0–60 (revocation must bite within a minute)")
        }
        guard (4...31).contains(bcryptCost) else { throw VeritasError.invalid("bcrypt cost from \(source) must be 4–31") }
        guard tokenTTL > 0 else { throw VeritasError.invalid("token TTL from \(source) must be positive") }
        guard !transcode.ladder.isEmpty, transcode.ladder.allSatisfy({ $0.shortSide >= 2 && $0.bitrate > 0 }) else {
            throw VeritasError.invalid("the ladder from \(source) needs steps with a positive size and bit rate")
        }
        guard uploadMaxBytes > 0, uploadExpirySeconds > 0 else {
            throw VeritasError.invalid("the upload size limit and expiry from \(source) must be positive")
        }
        guard (1...64).contains(jobConcurrency), jobLeaseSeconds >= 2 else {
            throw VeritasError.invalid("job concurrency from \(source) must be 1–64 and the job lease at least 2 s")
        }
        guard transcode.keyframeInterval > 0, transcode.segmentDuration >= transcode.keyframeInterval else {
            throw VeritasError.invalid("segment duration must be at least the keyframe interval (\(source))")
        }
    }
}
