import Testing
@testable import WSViews

/// GraphQL over WebSocket: graphql-transport-ws and the legacy subscriptions-transport-ws, operations by id.
@Suite struct GraphQLViewTests {
    var driver = ViewDriver(subprotocol: "graphql-transport-ws")

    mutating func graphQL(_ text: String, from peer: Peer) -> (GraphQLView?, [String]) {
        let view = driver.text(text, from: peer)
        if case .graphQL(let g)? = view?.content { return (g, view?.notes ?? []) }
        return (nil, view?.notes ?? [])
    }

    @Test mutating func aSubscriptionFromInitToComplete() {
        let (initial, _) = graphQL(#"{"type":"connection_init","payload":{"token":"t"}}"#, from: .client)
        #expect(initial?.type == "connection_init" && initial?.payload?.description == #"{"token":"t"}"#)
        #expect(graphQL(#"{"type":"connection_ack"}"#, from: .server).0?.type == "connection_ack")
        let (subscribe, notes) = graphQL(#"{"id":"1","type":"subscribe","payload":{"query":"subscription OnComment($id: ID!) { commentAdded(id: $id) { text } }","operationName":"OnComment","variables":{"id":"7"}}}"#, from: .client)
        #expect(notes == [])
        #expect(subscribe?.id == "1" && subscribe?.operation == "subscription OnComment" && subscribe?.operationName == "OnComment")
        #expect(subscribe?.variables?.description == #"{"id":"7"}"#)
        let (first, _) = graphQL(#"{"id":"1","type":"next","payload":{"data":{"commentAdded":{"text":"hi"}}}}"#, from: .server)
        #expect(first?.operation == "subscription OnComment" && first?.payload?.description == #"{"data":{"commentAdded":{"text":"hi"}}}"#)
        #expect(abs((first?.sinceSubscribe ?? 0) - 0.001) < 1e-9)
        // Only the first result says how long it took.
        #expect(graphQL(#"{"id":"1","type":"next","payload":{"data":null}}"#, from: .server).0?.sinceSubscribe == nil)
        let (complete, _) = graphQL(#"{"id":"1","type":"complete"}"#, from: .server)
        #expect(complete?.operation == "subscription OnComment" && complete?.sinceSubscribe != nil)
        // The operation is over: a result for it is noted.
        #expect(graphQL(#"{"id":"1","type":"next","payload":{}}"#, from: .server).1 == ["No operation with id 1 was started (or it started before the capture)."])
    }

    @Test mutating func pingPongAndErrors() {
        #expect(graphQL(#"{"type":"ping"}"#, from: .client).0?.type == "ping")
        #expect(graphQL(#"{"type":"pong","payload":{"t":1}}"#, from: .server).0?.payload?.description == #"{"t":1}"#)
        _ = graphQL(#"{"id":"q","type":"subscribe","payload":{"query":"{ me { name } }"}}"#, from: .client)
        let (error, _) = graphQL(#"{"id":"q","type":"error","payload":[{"message":"denied"}]}"#, from: .server)
        #expect(error?.operation == "query" && error?.payload?.description == #"[{"message":"denied"}]"#)
    }

    @Test mutating func theLegacyProtocolsTypes() {
        let types = ["connection_init", "connection_ack", "ka", "start", "data", "error", "stop", "complete", "connection_error", "connection_terminate"]
        var seen: [String] = []
        for type in types {
            let id = ["start", "data", "error", "stop", "complete"].contains(type) ? #","id":"2""# : ""
            let payload = type == "start" ? #","payload":{"query":"query Q { a }"}"# : ""
            let (view, notes) = graphQL(#"{"type":"\#(type)"\#(id)\#(payload)}"#, from: type == "start" || type == "stop" ? .client : .server)
            if let view { seen.append(view.type) }
            #expect(!notes.contains { $0.contains("neither") }, "\(type): \(notes)")
        }
        #expect(seen == types)
    }

    @Test(arguments: [("subscription S { a }", nil, "subscription S"), ("query { a }", nil, "query"),
                      ("  # comment\n mutation M($x: Int) { a }", nil, "mutation M"), ("{ a }", "Named", "query Named"),
                      ("subscription { a }", "FromName", "subscription FromName"), ("fragment F on T { a }", nil, "fragment"),
                      ("", nil, "(unrecognised operation)")] as [(String, String?, String)])
    func theOperationSummary(query: String, name: String?, summary: String) {
        #expect(GraphQLSession.summary(of: query, named: name) == summary)
    }

    @Test mutating func whatIsNotAGraphQLMessageIsNoted() {
        #expect(graphQL("[1]", from: .client).1 == ["A GraphQL over WebSocket message is a JSON object with a string \"type\"."])
        #expect(graphQL("{oops", from: .client).1 == ["Not JSON: invalid JSON at byte 1: 'o' where a member name (a string) should start."])
        #expect(graphQL(#"{"type":"hello"}"#, from: .client).1 == ["\"hello\" is a message type of neither graphql-transport-ws nor subscriptions-transport-ws."])
        #expect(graphQL(#"{"type":"subscribe","payload":{}}"#, from: .client).1 == ["subscribe without payload.query.", "subscribe without an id."])
        #expect(graphQL(#"{"type":"next","id":5}"#, from: .server).1.first == "The id is not a string.")
        let duplicate = #"{"type":"subscribe","id":"d","payload":{"query":"{a}"}}"#
        _ = graphQL(duplicate, from: .client)
        #expect(graphQL(duplicate, from: .client).1 == ["Operation id d is already in use."])
    }
}
