#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// printf-style formatting through the C library's `vsnprintf`: the same digits as Foundation's
/// `String(format:)`, without its `NSString` round trip (which cost ~30k instructions a call and showed up in
/// profiles of summaries and text output).
func cFormat(_ format: String, _ arguments: CVarArg...) -> String {
    withVaList(arguments) { list in
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { buffer in
            let needed = Int(vsnprintf(buffer.baseAddress, buffer.count, format, list))
            if needed < buffer.count {
                return String(cString: buffer.baseAddress!)
            }
            return cFormatLong(format, arguments, length: needed)
        }
    }
}

private func cFormatLong(_ format: String, _ arguments: [CVarArg], length: Int) -> String {
    withVaList(arguments) { list in
        var buffer = [CChar](repeating: 0, count: length + 1)
        _ = vsnprintf(&buffer, buffer.count, format, list)
        return String(cString: buffer)
    }
}
