import WSAnalysis
import WSWire

// Connection and capture summaries are plain facts built once by the analysis (`ConnectionSummary`,
// `CaptureSummary`); they are their own view models. What a renderer would otherwise derive for itself — the order
// of the per-opcode counts, the compression share, the totals by severity — is derived here, once, for all of them.

extension ConnectionSummary {
    /// The client's direction, then the server's.
    public var directions: [DirectionSummary] { [clientDirection, serverDirection] }
}

extension DirectionSummary {
    /// Frames per opcode name, by name.
    public var framesByOpcodeInOrder: [(name: String, count: Int)] {
        framesByOpcode.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Messages per opcode name, by name.
    public var messagesByOpcodeInOrder: [(name: String, count: Int)] {
        messagesByOpcode.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Compressed bytes over inflated bytes; nil when nothing was inflated.
    public var compressedShare: Double? {
        inflatedBytes > 0 ? Double(compressedBytes) / Double(inflatedBytes) : nil
    }
}

extension CaptureSummary {
    /// Findings of one severity in the whole capture.
    public func diagnosticCount(_ severity: Severity) -> Int { diagnosticsBySeverity[severity] ?? 0 }
}
