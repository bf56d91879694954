/// The content type of a TLS record (RFC 8446 §5.1, RFC 5246 §6.2.1). A struct over the byte, so that values no
/// registry defines stay printable.
public struct TLSContentType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let changeCipherSpec = TLSContentType(rawValue: 20)
    public static let alert = TLSContentType(rawValue: 21)
    public static let handshake = TLSContentType(rawValue: 22)
    public static let applicationData = TLSContentType(rawValue: 23)
    public static let heartbeat = TLSContentType(rawValue: 24)

    /// `handshake`, `application_data`, … as the RFCs spell them; `unknown(99)` otherwise.
    public var description: String {
        switch rawValue {
        case 20: "change_cipher_spec"
        case 21: "alert"
        case 22: "handshake"
        case 23: "application_data"
        case 24: "heartbeat"
        default: "unknown(\(rawValue))"
        }
    }

    /// The content types a record header may carry.
    public var isKnown: Bool { (20...24).contains(rawValue) }
}

/// A TLS protocol version as carried on the wire (`0x0303` is TLS 1.2; TLS 1.3 is negotiated with the
/// supported_versions extension and its records still say `0x0303`).
public struct TLSVersion: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let ssl3 = TLSVersion(rawValue: 0x0300)
    public static let tls10 = TLSVersion(rawValue: 0x0301)
    public static let tls11 = TLSVersion(rawValue: 0x0302)
    public static let tls12 = TLSVersion(rawValue: 0x0303)
    public static let tls13 = TLSVersion(rawValue: 0x0304)

    /// `TLS 1.2`, `SSL 3.0`, `0x7f1c`.
    public var description: String {
        switch rawValue {
        case 0x0300: "SSL 3.0"
        case 0x0301: "TLS 1.0"
        case 0x0302: "TLS 1.1"
        case 0x0303: "TLS 1.2"
        case 0x0304: "TLS 1.3"
        default: "0x" + String(rawValue, radix: 16)
        }
    }

    /// The versions a record header can carry (SSL 3.0 to TLS 1.3).
    public var isPlausibleRecordVersion: Bool { (0x0300...0x0304).contains(rawValue) }

    public static func < (a: TLSVersion, b: TLSVersion) -> Bool { a.rawValue < b.rawValue }
}

/// The 5-byte header of a TLS record: content type, legacy version, length of the fragment that follows.
public struct TLSRecordHeader: Hashable, Sendable {
    public static let size = 5
    /// The largest fragment a record may carry: 2^14 plaintext bytes plus 2048 of protection (TLS 1.2's limit;
    /// TLS 1.3 allows 256). Longer lengths mean the bytes are not TLS records.
    public static let maximumFragment = (1 << 14) + 2048

    public let contentType: TLSContentType
    public let version: TLSVersion
    public let length: Int

    /// Reads a header from the first five bytes; nil when fewer are given.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count >= Self.size else { return nil }
        var i = bytes.startIndex
        func next() -> UInt8 { defer { i = bytes.index(after: i) }; return bytes[i] }
        contentType = TLSContentType(rawValue: next())
        let major = next(), minor = next()
        version = TLSVersion(rawValue: UInt16(major) << 8 | UInt16(minor))
        let high = next(), low = next()
        length = Int(high) << 8 | Int(low)
    }

    /// True when the header could start a TLS record: a known content type, an SSL 3.0-TLS 1.3 version, a length in
    /// range (a zero length is allowed only for application data, RFC 8446 §5.1).
    public var isPlausible: Bool {
        contentType.isKnown && version.isPlausibleRecordVersion && length <= Self.maximumFragment
            && (length > 0 || contentType == .applicationData)
    }

    /// The header bytes (the additional data of TLS 1.3 record protection).
    public var bytes: [UInt8] {
        [contentType.rawValue, UInt8(version.rawValue >> 8), UInt8(version.rawValue & 0xFF), UInt8(length >> 8), UInt8(length & 0xFF)]
    }
}

/// Cuts one direction's byte stream into TLS records, however the stream was segmented: bytes are appended as they
/// arrive and whole records come out. At most one record (≤ 18 KiB) is held.
public struct TLSRecordReader: Sendable {
    /// What `next()` found.
    public enum Step: Sendable {
        /// A whole record: its header and fragment.
        case record(TLSRecordHeader, [UInt8])
        /// The bytes held so far are not enough for the next record.
        case needMore
        /// The next five bytes are not a TLS record header.
        case malformed(TLSRecordHeader)
    }

    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// Bytes held that do not yet make a record.
    public var pending: Int { buffer.count - start }

    /// The length of the fragment of the record being held, once its header is there.
    public var pendingRecordLength: Int? {
        pending >= TLSRecordHeader.size ? TLSRecordHeader(buffer[start..<(start + TLSRecordHeader.size)])?.length : nil
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole record, if the bytes held make one.
    public mutating func next() -> Step {
        guard pending >= TLSRecordHeader.size, let header = TLSRecordHeader(buffer[start..<(start + TLSRecordHeader.size)]) else {
            return .needMore
        }
        guard header.isPlausible else { return .malformed(header) }
        let end = start + TLSRecordHeader.size + header.length
        guard buffer.count >= end else { return .needMore }
        let fragment = Array(buffer[(start + TLSRecordHeader.size)..<end])
        start = end
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            start = 0
        } else if start > 64 * 1024 {
            buffer.removeFirst(start)
            start = 0
        }
        return .record(header, fragment)
    }

    /// Drops what is held (after a gap, or when the direction stops).
    public mutating func reset() {
        buffer = []
        start = 0
    }
}
