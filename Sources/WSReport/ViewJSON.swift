import WSViews

/// Writes a message record's `view` object (Docs/json.md, "`view`"), keys named by the view schemas.
extension JSONWriter {
    public mutating func view(_ view: MessageView) {
        beginObject()
        switch view.content {
        case .unparsed(let kind):
            key(JSONViewKey.kind); string(name: kind.rawValue)
        case .json(let json):
            key(JSONViewKey.kind); string(literal: "json")
            key(JSONViewKey.value); jsonText(json.value)
            key(JSONViewKey.valueOmitted); bool(json.valueOmitted)
            key(JSONViewKey.error); stringOrNull(json.error?.reason)
            key(JSONViewKey.errorOffset); intOrNull(json.error?.offset)
        case .socketIO(let socketIO):
            self.socketIO(socketIO)
        case .stomp(let stomp):
            self.stomp(stomp)
        case .mqtt(let mqtt):
            self.mqtt(mqtt)
        case .graphQL(let graphQL):
            self.graphQL(graphQL)
        }
        key(JSONViewKey.notes)
        beginArray()
        for note in view.notes { string(note) }
        endArray()
        endObject()
    }

    /// Canonical JSON text, inserted as it is (it is valid, strict UTF-8 JSON, escaped as every string here is).
    mutating func jsonText(_ text: JSONText?) {
        if let text { raw(text.bytes) } else { null() }
    }

    /// Milliseconds, to the microsecond.
    mutating func milliseconds(_ seconds: Double) {
        double((seconds * 1_000_000).rounded() / 1000)
    }

    private mutating func socketIO(_ view: SocketIOView) {
        key(SocketIOViewKey.kind); string(literal: "socket.io")
        key(SocketIOViewKey.engineIO); string(name: view.engineIO.name)
        if let payload = view.payload { key(SocketIOViewKey.payload); string(payload) }
        if let open = view.open {
            key(SocketIOViewKey.sid); stringOrNull(open.sid)
            key(SocketIOViewKey.upgrades)
            if let upgrades = open.upgrades {
                beginArray()
                for upgrade in upgrades { string(upgrade) }
                endArray()
            } else {
                null()
            }
            key(SocketIOViewKey.pingInterval); intOrNull(open.pingInterval)
            key(SocketIOViewKey.pingTimeout); intOrNull(open.pingTimeout)
            key(SocketIOViewKey.maxPayload); intOrNull(open.maxPayload)
        }
        guard let packet = view.packet else { return }
        key(SocketIOViewKey.socketIO); string(name: packet.type.name)
        key(SocketIOViewKey.namespace); string(packet.namespace)
        key(SocketIOViewKey.ackID); intOrNull(packet.ackID)
        if let count = packet.attachments { key(SocketIOViewKey.attachments); int(count) }
        if let attachment = view.attachment { key(SocketIOViewKey.attachment); int(attachment) }
        key(SocketIOViewKey.event); stringOrNull(packet.event)
        key(SocketIOViewKey.args); jsonText(packet.args)
        if packet.type == .connect || packet.type == .connectError || packet.type == .disconnect {
            key(SocketIOViewKey.data); jsonText(packet.data)
        }
        if let rtt = view.roundTrip { key(SocketIOViewKey.rttMs); milliseconds(rtt) }
    }

    private mutating func stomp(_ view: STOMPView) {
        key(STOMPViewKey.kind); string(literal: "stomp")
        inlineOrList(view.frames, under: STOMPViewKey.frames) { $0.stompFrame($1) }
        if view.heartbeats > 0 { key(STOMPViewKey.heartbeats); int(view.heartbeats) }
        if view.pendingBytes > 0 { key(STOMPViewKey.pendingBytes); int(view.pendingBytes) }
    }

    /// One item's keys inline in the current object when there is exactly one; otherwise (none, or several) an
    /// array of objects under `listKey`, one per item: the views' `frames` and `packets`.
    mutating func inlineOrList<Item, Key: RecordSchema>(_ items: [Item], under listKey: Key,
                                                       _ write: (inout JSONWriter, Item) -> Void) {
        if items.count == 1 {
            write(&self, items[0])
            return
        }
        key(listKey)
        beginArray()
        for item in items {
            beginObject()
            write(&self, item)
            endObject()
        }
        endArray()
    }

    /// A frame's keys (the same names inline and in `frames`).
    private mutating func stompFrame(_ frame: STOMPFrame) {
        key(STOMPFrameKey.command); string(frame.command)
        key(STOMPFrameKey.headers)
        beginArray()
        for header in frame.headers {
            beginArray()
            string(header.name)
            stringOrNull(header.value)
            endArray()
        }
        endArray()
        key(STOMPFrameKey.body)
        if frame.bodyIsText { string(utf8: frame.body) } else { null() }
        key(STOMPFrameKey.bodyHex)
        if frame.bodyIsText { null() } else { hex(frame.body) }
        key(STOMPFrameKey.bodyLength); int(frame.body.count)
        if let command = frame.receiptFor { key(STOMPFrameKey.receiptFor); string(command) }
        if let rtt = frame.roundTrip { key(STOMPFrameKey.rttMs); milliseconds(rtt) }
    }

    private mutating func graphQL(_ view: GraphQLView) {
        key(GraphQLViewKey.kind); string(literal: "graphql-ws")
        key(GraphQLViewKey.type); string(view.type)
        key(GraphQLViewKey.id); stringOrNull(view.id)
        if let operation = view.operation { key(GraphQLViewKey.operation); string(operation) }
        if let name = view.operationName { key(GraphQLViewKey.operationName); string(name) }
        if let query = view.query { key(GraphQLViewKey.query); string(query) }
        if let variables = view.variables { key(GraphQLViewKey.variables); jsonText(variables) }
        if let payload = view.payload { key(GraphQLViewKey.payload); jsonText(payload) }
        if let since = view.sinceSubscribe { key(GraphQLViewKey.sinceSubscribeMs); milliseconds(since) }
    }
}
