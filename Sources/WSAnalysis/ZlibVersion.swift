import CZlib

/// The zlib linked in (permessage-deflate inflates and deflates through it), as it names itself (`1.2.13`).
public var zlibVersion: String { String(cString: CZlib.zlibVersion()) }
