import Foundation

/// The secrets a key log holds for one TLS connection, found by its client random.
public struct TLSSecrets: Hashable, Sendable {
    /// TLS 1.2 (and earlier): `CLIENT_RANDOM`, the 48-byte master secret.
    public var masterSecret: [UInt8]?
    /// TLS 1.3: `CLIENT_EARLY_TRAFFIC_SECRET` (0-RTT; not used for decryption).
    public var clientEarlyTraffic: [UInt8]?
    /// TLS 1.3: `CLIENT_HANDSHAKE_TRAFFIC_SECRET`, `SERVER_HANDSHAKE_TRAFFIC_SECRET`.
    public var clientHandshakeTraffic: [UInt8]?
    public var serverHandshakeTraffic: [UInt8]?
    /// TLS 1.3: `CLIENT_TRAFFIC_SECRET_0`, `SERVER_TRAFFIC_SECRET_0` (later ones are derived at each KeyUpdate).
    public var clientTraffic0: [UInt8]?
    public var serverTraffic0: [UInt8]?

    public init() {}

    /// True when the TLS 1.3 secrets for both directions' handshake and application data are all there.
    public var hasTLS13Secrets: Bool {
        clientHandshakeTraffic != nil && serverHandshakeTraffic != nil && clientTraffic0 != nil && serverTraffic0 != nil
    }
}

/// An NSS key log (the format `SSLKEYLOGFILE` makes browsers, curl, Node and Python write): one
/// `LABEL <client random in hex> <secret in hex>` per line, `#` comments.
/// https://firefox-source-docs.mozilla.org/security/nss/legacy/key_log_format/
public struct TLSKeyLog: Sendable {
    private var secrets: [[UInt8]: TLSSecrets] = [:]
    /// Lines that could not be read (wrong field count, bad hex, unknown label), for the user's information.
    public private(set) var ignoredLines = 0

    public init() {}

    /// Reads a whole key log.
    public init(text: String) {
        for line in text.split(whereSeparator: \.isNewline) { add(line: line) }
    }

    /// Connections with at least one secret.
    public var count: Int { secrets.count }

    /// The secrets logged for a client random.
    public func secrets(clientRandom: [UInt8]) -> TLSSecrets? { secrets[clientRandom] }

    /// Adds one line; returns false when it is not a key log line (comments and blank lines are fine).
    @discardableResult
    public mutating func add<S: StringProtocol>(line: S) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return true }
        let fields = trimmed.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3, let random = Self.hex(fields[1]), random.count == 32, let secret = Self.hex(fields[2]),
              !secret.isEmpty else {
            ignoredLines += 1
            return false
        }
        var entry = secrets[random] ?? TLSSecrets()
        switch fields[0] {
        case "CLIENT_RANDOM": entry.masterSecret = secret
        case "CLIENT_EARLY_TRAFFIC_SECRET": entry.clientEarlyTraffic = secret
        case "CLIENT_HANDSHAKE_TRAFFIC_SECRET": entry.clientHandshakeTraffic = secret
        case "SERVER_HANDSHAKE_TRAFFIC_SECRET": entry.serverHandshakeTraffic = secret
        case "CLIENT_TRAFFIC_SECRET_0": entry.clientTraffic0 = secret
        case "SERVER_TRAFFIC_SECRET_0": entry.serverTraffic0 = secret
        case "EXPORTER_SECRET", "EARLY_EXPORTER_SECRET": return true   // not needed to decrypt
        default:
            ignoredLines += 1
            return false
        }
        secrets[random] = entry
        return true
    }

    static func hex<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = nibble(digits[i]), let low = nibble(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Where the TLS layer finds secrets.
public protocol TLSKeyProvider: AnyObject, Sendable {
    /// The secrets for a connection's client random, if known now.
    func secrets(clientRandom: [UInt8]) -> TLSSecrets?
    /// True when secrets may still appear later (a key log a running browser appends to): the layer then holds
    /// encrypted records for a while instead of giving up at once.
    var mayGrow: Bool { get }
}

/// A key log file. Read once for a capture file; for a live capture (`growing`), read again from where it stopped
/// whenever a connection asks for a secret it does not have yet (at most every 50 ms), since browsers append to the
/// file as they connect. Used on the analysis thread only (hence `@unchecked Sendable`: it is handed to the
/// analysis before reading starts and never touched by the reader thread).
public final class TLSKeyLogFile: TLSKeyProvider, @unchecked Sendable {
    public let path: String
    public let mayGrow: Bool
    public private(set) var log = TLSKeyLog()
    private var offset: UInt64 = 0
    private var partialLine = ""
    private var lastRefresh: UInt64 = 0

    /// Reads the file; throws when it cannot be opened.
    public init(path: String, growing: Bool) throws {
        self.path = path
        self.mayGrow = growing
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        refresh()
    }

    public func secrets(clientRandom: [UInt8]) -> TLSSecrets? {
        if let found = log.secrets(clientRandom: clientRandom) { return found }
        guard mayGrow else { return nil }
        let now = DispatchTime.now().uptimeNanoseconds
        if now - lastRefresh >= 50_000_000 {
            lastRefresh = now
            refresh()
        }
        return log.secrets(clientRandom: clientRandom)
    }

    /// Reads what was appended since the last read (everything again if the file was replaced by a shorter one).
    public func refresh() {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        if size < offset {
            offset = 0
            partialLine = ""
            log = TLSKeyLog()
        }
        guard size > offset, (try? handle.seek(toOffset: offset)) != nil,
              let data = try? handle.read(upToCount: Int(min(size - offset, 64 << 20))) else { return }
        offset += UInt64(data.count)
        var text = partialLine + String(decoding: data, as: UTF8.self)
        if let lastNewline = text.lastIndex(where: \.isNewline) {
            partialLine = String(text[text.index(after: lastNewline)...])
            text = String(text[...lastNewline])
        } else {
            partialLine = text
            text = ""
        }
        for line in text.split(whereSeparator: \.isNewline) { log.add(line: line) }
        if !mayGrow, !partialLine.isEmpty {   // a finished file may lack its last newline
            log.add(line: partialLine)
            partialLine = ""
        }
    }
}
