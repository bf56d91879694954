import ArgumentParser

/// `wsinspect close-codes` (being built: issue #13).
struct CloseCodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close-codes", abstract: "(being built)", shouldDisplay: false)
    func run() throws { throw CommandFailure.usage("close-codes is not built yet") }
}
