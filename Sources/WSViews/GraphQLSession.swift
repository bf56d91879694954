/// The GraphQL-over-WebSocket view of one connection: message types of both protocols, operations remembered by id
/// so that their results and completion name them.
final class GraphQLSession {
    static let transportTypes: Set<String> = ["connection_init", "connection_ack", "ping", "pong", "subscribe", "next", "error", "complete"]
    static let legacyTypes: Set<String> = ["connection_init", "connection_ack", "connection_error", "ka", "connection_terminate",
                                          "start", "data", "error", "complete", "stop"]

    private let limits: ViewLimits
    /// Operations started (subscribe/start), by id: their summary, when they started, whether a result came.
    private var operations: [String: (operation: String?, time: Double, answered: Bool)] = [:]
    private var order: [String] = []

    init(limits: ViewLimits) {
        self.limits = limits
    }

    /// True when `bytes` is a JSON object whose `type` is `connection_init` (the sniffer's test of a connection's
    /// first client message).
    static func isConnectionInit(_ bytes: [UInt8], limits: ViewLimits) -> Bool {
        guard bytes.first == UInt8(ascii: "{") else { return false }
        return JSONParser.parse(bytes, limits: limits).value?["type"]?.stringValue == "connection_init"
    }

    func read(_ bytes: [UInt8], binary: Bool, from peer: Peer, time: Double) -> MessageView {
        var notes: [String] = binary ? ["GraphQL over WebSocket sends text messages; this one is binary."] : []
        let parsed = JSONParser.parse(bytes, limits: limits)
        notes += parsed.notes
        guard let message = parsed.value else {
            return MessageView(.unparsed(.graphQL), notes: notes + ["Not JSON: \(parsed.error!.description)."])
        }
        guard case .object = message, let type = message["type"]?.stringValue else {
            return MessageView(.unparsed(.graphQL), notes: notes + ["A GraphQL over WebSocket message is a JSON object with a string \"type\"."])
        }
        var view = GraphQLView(type: type)
        if !Self.transportTypes.contains(type) && !Self.legacyTypes.contains(type) {
            notes.append("\"\(type.prefix(60))\" is a message type of neither graphql-transport-ws nor subscriptions-transport-ws.")
        }
        if let id = message["id"] {
            view.id = id.stringValue ?? id.text.description
            if id.stringValue == nil { notes.append("The id is not a string.") }
        }
        let payload = message["payload"]
        switch type {
        case "subscribe", "start":
            view.query = payload?["query"]?.stringValue
            view.operationName = payload?["operationName"]?.stringValue
            view.variables = payload?["variables"].flatMap { $0 == .null ? nil : $0.text }
            view.operation = view.query.map { Self.summary(of: $0, named: view.operationName) }
            if view.query == nil { notes.append("\(type) without payload.query.") }
            if let id = view.id {
                if operations[id] != nil { notes.append("Operation id \(id.prefix(60)) is already in use.") } else { order.append(id) }
                operations[id] = (view.operation, time, false)
                while operations.count > limits.maxPending, !order.isEmpty { operations[order.removeFirst()] = nil }
                if order.count > 2 * limits.maxPending { order = order.filter { operations[$0] != nil } }
            } else {
                notes.append("\(type) without an id.")
            }
        case "next", "data", "error", "complete", "stop":
            view.payload = payload?.text
            if let id = view.id {
                if var started = operations[id] {
                    view.operation = started.operation
                    let ends = type == "complete" || type == "stop"
                    if !started.answered || ends { view.sinceSubscribe = time - started.time }
                    started.answered = true
                    operations[id] = ends ? nil : started
                } else if type != "complete" {
                    notes.append("No operation with id \(id.prefix(60)) was started (or it started before the capture).")
                }
            } else if type != "error" {
                notes.append("\(type) without an id.")
            }
        default:
            view.payload = payload?.text
        }
        return MessageView(.graphQL(view), notes: notes)
    }

    /// `subscription OnComment` from `subscription OnComment($id: ID!) { … }`; `query` for the `{ … }` shorthand.
    /// Reads past comments and whitespace to the first keyword; bounded by the query's length.
    static func summary(of query: String, named name: String?) -> String {
        var scalars = query.unicodeScalars[...]
        func skipIgnored() {
            while let c = scalars.first {
                if c == "#" {
                    while let d = scalars.first, d != "\n" && d != "\r" { scalars.removeFirst() }
                } else if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "," || c == "\u{FEFF}" {
                    scalars.removeFirst()
                } else {
                    return
                }
            }
        }
        func word() -> String {
            var out = ""
            while let c = scalars.first, c == "_" || (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) {
                out.unicodeScalars.append(c)
                scalars.removeFirst()
            }
            return out
        }
        skipIgnored()
        if scalars.first == "{" { return "query" + (name.map { " \($0)" } ?? "") }
        let keyword = word()
        guard ["query", "mutation", "subscription"].contains(keyword) else {
            return keyword.isEmpty ? "(unrecognised operation)" : keyword
        }
        skipIgnored()
        let declared = word()
        let shown = declared.isEmpty ? name : declared
        return keyword + (shown.map { " \($0.prefix(100))" } ?? "")
    }
}
