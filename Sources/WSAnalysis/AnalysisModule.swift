import CZlib
import WSWire

/// The zlib version the analysis links against.
public func zlibVersionString() -> String {
    String(cString: zlibVersion())
}
