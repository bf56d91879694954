import WSAnalysis
import WSTLS
import WSWire

/// The JSON objects of the layers under WebSocket (Schema/LayerSchemas.swift): a connection's `tls` and `proxy`,
/// a summary's `tls` and `tunnel`.
extension JSONEventRenderer {
    func tlsInfo(_ info: TLSConnectionInfo) {
        writer.beginObject()
        writer.key(TLSInfoKey.version); writer.stringOrNull(info.version?.description)
        writer.key(TLSInfoKey.cipher); writer.stringOrNull(info.cipherSuite?.description)
        writer.key(TLSInfoKey.sni); writer.stringOrNull(info.serverName)
        writer.key(TLSInfoKey.alpn); writer.stringOrNull(info.alpn)
        writer.key(TLSInfoKey.alpnOffered)
        writer.beginArray()
        for name in info.offeredALPN { writer.string(name) }
        writer.endArray()
        writer.key(TLSInfoKey.handshakeSeen); writer.bool(info.handshakeSeen)
        decryption(info.decryption, decrypted: TLSInfoKey.decrypted, reason: TLSInfoKey.reason, explanation: TLSInfoKey.explanation)
        writer.endObject()
    }

    private func decryption<K: RecordSchema>(_ decryption: TLSDecryption, decrypted: K, reason: K, explanation: K?) {
        writer.key(decrypted); writer.bool(decryption.isDecrypted)
        var why: TLSNotDecryptedReason?
        if case .notDecrypted(let r) = decryption { why = r }
        writer.key(reason)
        if let why { writer.string(name: why.code) } else if decryption == .pending { writer.string(name: "handshake-unfinished") } else { writer.null() }
        if let explanation {
            writer.key(explanation)
            if let why { writer.string(why.description) } else if decryption == .pending { writer.string("the TLS handshake did not finish in the capture") } else { writer.null() }
        }
    }

    func proxy(_ hop: ProxyHop) {
        writer.beginObject()
        writer.key(ProxyKey.connect); writer.string(hop.target)
        writer.key(ProxyKey.status); writer.intOrNull(hop.status)
        writer.key(ProxyKey.reason); writer.stringOrNull(hop.reason)
        writer.key(ProxyKey.requestPacket); writer.int(hop.requestOrigin.packet)
        writer.key(ProxyKey.responsePacket); writer.intOrNull(hop.responseOrigin?.packet)
        writer.endObject()
    }

    func tlsSummary(_ tls: TLSSummary) {
        writer.beginObject()
        decryption(tls.info.decryption, decrypted: TLSSummaryKey.decrypted, reason: TLSSummaryKey.reason, explanation: nil)
        writer.key(TLSSummaryKey.keyUpdates)
        writer.beginObject()
        writer.key(computed: "client"); writer.int(tls.clientKeyUpdates)
        writer.key(computed: "server"); writer.int(tls.serverKeyUpdates)
        writer.endObject()
        writer.key(TLSSummaryKey.client); tlsAccounting(tls.client)
        writer.key(TLSSummaryKey.server); tlsAccounting(tls.server)
        writer.endObject()
    }

    private func tlsAccounting(_ a: TLSAccounting) {
        writer.beginObject()
        writer.key(TLSAccountingKey.streamBytes); writer.int(a.streamBytes)
        writer.key(TLSAccountingKey.recordHeaderBytes); writer.int(a.recordHeaderBytes)
        writer.key(TLSAccountingKey.handshakeBytes); writer.int(a.handshakeBytes)
        writer.key(TLSAccountingKey.changeCipherSpecBytes); writer.int(a.changeCipherSpecBytes)
        writer.key(TLSAccountingKey.alertBytes); writer.int(a.alertBytes)
        writer.key(TLSAccountingKey.decryptedBytes); writer.int(a.decryptedBytes)
        writer.key(TLSAccountingKey.undecryptedBytes); writer.int(a.undecryptedBytes)
        writer.key(TLSAccountingKey.gapBytes); writer.int(a.gapBytes)
        writer.key(TLSAccountingKey.unfinishedBytes); writer.int(a.unfinishedBytes)
        writer.key(TLSAccountingKey.records); writer.int(a.records)
        writer.key(TLSAccountingKey.plaintextBytes); writer.int(a.plaintextBytes)
        writer.endObject()
    }

    func tunnelSummary(_ tunnel: TunnelSummary) {
        writer.beginObject()
        writer.key(TunnelSummaryKey.connect); writer.string(tunnel.hop.target)
        writer.key(TunnelSummaryKey.status); writer.intOrNull(tunnel.hop.status)
        for (key, a) in [(TunnelSummaryKey.client, tunnel.client), (TunnelSummaryKey.server, tunnel.server)] {
            writer.key(key)
            writer.beginObject()
            writer.key(TunnelAccountingKey.streamBytes); writer.int(a.streamBytes)
            writer.key(TunnelAccountingKey.httpBytes); writer.int(a.httpBytes)
            writer.key(TunnelAccountingKey.tunnelBytes); writer.int(a.tunnelBytes)
            writer.key(TunnelAccountingKey.skippedBytes); writer.int(a.skippedBytes)
            writer.key(TunnelAccountingKey.gapBytes); writer.int(a.gapBytes)
            writer.endObject()
        }
        writer.endObject()
    }
}
