import ArgumentParser
import WSAnalysis

/// The time limits of the rules that judge promptness (`pong-late`, `close-answer-late`,
/// `tcp-not-closed-after-close`, `client-closed-tcp-first`, `peer-continued-after-violation`,
/// `reconnect-without-backoff`): RFC 6455 says "as soon as practical" and "immediately", so each is an option with a
/// documented default (Docs/rules.md).
struct TimingOptions: ParsableArguments {
    @Option(name: .customLong("pong-timeout"), parsing: .unconditional, help: ArgumentHelp("Seconds after which a pong is late (pong-late), while its sender sends other frames.", valueName: "seconds"))
    var pong: Double = TimingThresholds().pong

    @Option(name: .customLong("close-timeout"), parsing: .unconditional, help: ArgumentHelp("Seconds within which a Close is answered (close-answer-late) and the server closes TCP after the close handshake (tcp-not-closed-after-close; a client may close first after it).", valueName: "seconds"))
    var close: Double = TimingThresholds().close

    @Option(name: .customLong("fail-timeout"), parsing: .unconditional, help: ArgumentHelp("Seconds after a frame that obliges its receiver to fail the connection beyond which the receiver's data or pongs are reported (peer-continued-after-violation).", valueName: "seconds"))
    var fail: Double = TimingThresholds().fail

    @Option(name: .customLong("reconnect-window"), parsing: .unconditional, help: ArgumentHelp("Seconds after an abnormal closure within which a client's reconnection counts as immediate (reconnect-without-backoff).", valueName: "seconds"))
    var reconnect: Double = TimingThresholds().reconnect

    func validate() throws {
        for (name, value) in [("--pong-timeout", pong), ("--close-timeout", close), ("--fail-timeout", fail), ("--reconnect-window", reconnect)]
        where !(value.isFinite && value >= 0) {
            throw ValidationError("\(name) must be a number of seconds, 0 or more")
        }
    }

    var thresholds: TimingThresholds {
        TimingThresholds(pong: pong, close: close, fail: fail, reconnect: reconnect)
    }
}
