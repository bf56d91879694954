/// The text view's hold on one connection's lines while a fragmented message is open. A message's line is printed
/// above its first frame, but it is known only when its last frame (or the frame that interrupts it) arrives; until
/// then every line of the connection waits here, in capture order, with a slot where the message's line goes. So
/// the frames of the other direction, and the frame that interrupts a message, print where they happened, never
/// inside a message they are not part of.
struct HeldLines {
    private enum Entry {
        case lines([String])
        /// Where the line of the message whose first frame is `firstFrame` goes.
        case slot(firstFrame: Int)
    }

    private var entries: [Entry] = []
    /// Frames held (a bound on memory: past `limit` the lines are printed and the slots given up).
    private var frames = 0
    static let limit = 256

    /// Nothing is held: lines can be printed at once.
    var isEmpty: Bool { entries.isEmpty }

    /// Reserves the place of a message's line above its first frame.
    mutating func reserve(firstFrame: Int) {
        entries.append(.slot(firstFrame: firstFrame))
    }

    /// Holds lines (`frame`: they show one frame, counted against the limit). True when the limit is passed: the
    /// caller should `giveUp()`.
    mutating func hold(_ lines: [String], frame: Bool) -> Bool {
        if !lines.isEmpty { entries.append(.lines(lines)) }
        if frame { frames += 1 }
        return frames > Self.limit
    }

    /// Puts a message's line in its slot. False when there is no slot for it (its lines were given up, or it had
    /// none); the caller then prints it where it is.
    mutating func fill(firstFrame: Int, with lines: [String]) -> Bool {
        guard let index = entries.firstIndex(where: { if case .slot(firstFrame) = $0 { true } else { false } }) else {
            return false
        }
        entries[index] = .lines(lines)
        return true
    }

    /// The lines that no longer wait for a message: everything before the first empty slot.
    mutating func takeReady() -> [String] {
        let end = entries.firstIndex { if case .slot = $0 { true } else { false } } ?? entries.count
        var ready: [String] = []
        for case .lines(let lines) in entries[..<end] { ready += lines }
        entries.removeFirst(end)
        if entries.isEmpty { frames = 0 }
        return ready
    }

    /// Every line held, the empty slots left out, and the first frames of the messages whose slots were given up.
    mutating func giveUp() -> (lines: [String], slots: [Int]) {
        var lines: [String] = []
        var slots: [Int] = []
        for entry in entries {
            switch entry {
            case .lines(let held): lines += held
            case .slot(let first): slots.append(first)
            }
        }
        entries = []
        frames = 0
        return (lines, slots)
    }
}
