/// The time limits of the rules that judge promptness (RFC 6455 says "as soon as practical", "immediately", "a
/// reasonable time"): each is an option with a default, and a finding made with one names it. Seconds.
public struct TimingThresholds: Hashable, Sendable {
    /// `pong-late` (`--pong-timeout`): a pong later than this after its ping, while the answerer sends other frames.
    public var pong: Double
    /// `close-answer-late`, `tcp-not-closed-after-close`, `client-closed-tcp-first` (`--close-timeout`): the answer
    /// to a Close, and the server's TCP close after the close handshake (a client may close first after it).
    public var close: Double
    /// `peer-continued-after-violation` (`--fail-timeout`): frames sent this long after a frame that obliges the
    /// receiver to fail the connection arrived.
    public var fail: Double
    /// `reconnect-without-backoff` (`--reconnect-window`): a reconnection this soon after an abnormal closure counts
    /// as immediate.
    public var reconnect: Double

    /// The limits in seconds; the defaults are the options' (Docs/rules.md, "Time limits are options").
    public init(pong: Double = 1, close: Double = 2, fail: Double = 1, reconnect: Double = 1) {
        self.pong = pong
        self.close = close
        self.fail = fail
        self.reconnect = reconnect
    }
}
