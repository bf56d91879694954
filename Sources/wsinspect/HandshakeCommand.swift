import ArgumentParser

/// `wsinspect handshake` (being built: issue #13).
struct HandshakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "handshake", abstract: "(being built)", shouldDisplay: false)
    func run() throws { throw CommandFailure.usage("handshake is not built yet") }
}
