import ArgumentParser

/// `wsinspect encode` (being built: issue #13).
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encode", abstract: "(being built)", shouldDisplay: false)
    func run() throws { throw CommandFailure.usage("encode is not built yet") }
}
