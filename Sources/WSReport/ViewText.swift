import WSViews

/// Payload views as text: one line per application message (a Socket.IO event, a STOMP frame, an MQTT packet, a
/// GraphQL message), then the view's notes; with `-v` the JSON inside, indented. Every string that came from the
/// network goes through `TerminalText`; JSON values are canonical `JSONText`, already escaped for a terminal.
public enum ViewText {
    /// Columns for one JSON value or body shown in a line.
    static let width = 100

    /// The lines of a view (without the renderer's prefix).
    public static func lines(_ view: MessageView, verbose: Bool) -> [String] {
        var lines: [String] = []
        switch view.content {
        case .unparsed(let kind):
            if verbose { lines.append(kind.rawValue) }
        case .json(let json):
            if verbose, let value = json.value { lines += ["json"] + JSONPretty.lines(value).map { "  " + $0 } }
        case .socketIO(let socketIO):
            lines.append(self.socketIO(socketIO))
            if verbose {
                for text in [socketIO.packet?.args, socketIO.packet?.data].compactMap({ $0 }) {
                    lines += JSONPretty.lines(text).map { "  " + $0 }
                }
            }
        case .stomp(let stomp):
            for frame in stomp.frames {
                lines.append(self.stomp(frame))
                if verbose { lines += frame.headers.map { "  " + escape($0.name) + ":" + ($0.value.map(escape) ?? "(not shown)") } }
            }
            if stomp.heartbeats > 0 && stomp.frames.isEmpty { lines.append("stomp heart-beat" + (stomp.heartbeats > 1 ? " ×\(stomp.heartbeats)" : "")) }
        case .mqtt(let mqtt):
            for packet in mqtt.packets {
                lines.append(MQTTText.line(packet))
                if verbose { lines += MQTTText.details(packet).map { "  " + $0 } }
            }
        case .graphQL(let graphQL):
            lines.append(self.graphQL(graphQL))
            if verbose {
                if let query = graphQL.query { lines += query.split(separator: "\n", omittingEmptySubsequences: false).prefix(200).map { "  " + escape(String($0)) } }
                for text in [graphQL.variables, graphQL.payload].compactMap({ $0 }) { lines += JSONPretty.lines(text).map { "  " + $0 } }
            }
        }
        return lines + view.notes.map { "note: " + escape($0) }
    }

    static func escape(_ text: String) -> String { TerminalText.escape(text) }

    /// A quoted string from the network, escaped and clipped.
    static func quoted(_ text: String, width: Int = 60) -> String {
        "\"" + FramePreview.clip(escape(text), width) + "\""
    }

    /// A JSON value, clipped.
    static func json(_ text: JSONText?) -> String {
        text.map { FramePreview.clip($0.description, width) } ?? ""
    }

    /// Milliseconds, as `1.234 ms`.
    static func ms(_ seconds: Double) -> String {
        cFormat("%.3f ms", seconds * 1000)
    }

    static func socketIO(_ view: SocketIOView) -> String {
        guard let packet = view.packet else {
            var line = "engine.io " + view.engineIO.name
            if let open = view.open {
                line += " sid=" + (open.sid.map { quoted($0) } ?? "none")
                if let upgrades = open.upgrades { line += " upgrades=[" + upgrades.map { escape($0) }.joined(separator: ",") + "]" }
                if let interval = open.pingInterval { line += " pingInterval=\(interval) ms" }
                if let timeout = open.pingTimeout { line += " pingTimeout=\(timeout) ms" }
                if let max = open.maxPayload { line += " maxPayload=\(max)" }
            }
            if let payload = view.payload { line += " " + quoted(payload) }
            return line
        }
        var line = "socket.io "
        if packet.namespace != "/" { line += escape(packet.namespace) + " " }
        if let attachment = view.attachment {
            line += "attachment \(attachment + 1) of \(packet.attachments ?? 0) for \(packet.type.name)"
            if let event = packet.event { line += " " + quoted(event) }
            if let args = packet.args { line += ", joined: " + json(args) }
            return line
        }
        line += packet.type.name
        if packet.type.isAck {
            if let id = packet.ackID { line += " \(id)" }
            line += " " + json(packet.args)
            if let event = packet.event { line += " · answers " + quoted(event) }
            if let rtt = view.roundTrip { line += " after " + ms(rtt) }
            return line
        }
        if let event = packet.event { line += " " + quoted(event) }
        if packet.args != nil { line += " " + json(packet.args) }
        if packet.data != nil { line += " " + json(packet.data) }
        if let id = packet.ackID { line += " · ack \(id)" }
        if let count = packet.attachments { line += " · \(count) attachment\(count == 1 ? "" : "s")" }
        return line
    }

    static func stomp(_ frame: STOMPFrame) -> String {
        var line = "stomp " + escape(frame.command)
        let shown = frame.headers.filter { !["content-length", "content-type"].contains($0.name) }
        if !shown.isEmpty {
            line += " " + FramePreview.clip(shown.map { escape($0.name) + ":" + ($0.value.map(escape) ?? "(not shown)") }.joined(separator: " "), width)
        }
        if let command = frame.receiptFor {
            line += " · receipt for " + escape(command)
            if let rtt = frame.roundTrip { line += " after " + ms(rtt) }
        }
        if !frame.body.isEmpty {
            line += " · body " + (frame.bodyIsText ? quoted(String(decoding: frame.body, as: UTF8.self)) : "\(frame.body.count) bytes (binary)")
        }
        return line
    }

    static func graphQL(_ view: GraphQLView) -> String {
        var line = "graphql-ws " + escape(view.type)
        if let id = view.id { line += " " + quoted(id, width: 40) }
        if let operation = view.operation {
            line += view.query != nil ? ": " + escape(operation) : " (" + escape(operation) + ")"
        }
        if let variables = view.variables { line += " variables " + json(variables) }
        if let payload = view.payload { line += " " + json(payload) }
        if let since = view.sinceSubscribe { line += " · " + ms(since) + " after subscribe" }
        return line
    }
}
