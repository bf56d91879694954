/// Whether bytes are valid UTF-8 (for the fields shown as text when they are: STOMP bodies, MQTT payloads).
enum UTF8Check {
    static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// The bytes as a String when they are valid UTF-8.
    static func string(_ bytes: some Collection<UInt8>) -> String? {
        isValid(bytes) ? String(decoding: Array(bytes), as: UTF8.self) : nil
    }
}
