import Crypto
import Foundation

/// The page of an HTML report: one self-contained file. The style and the script are inline and named in the
/// Content-Security-Policy by their SHA-256, so nothing else can run or load (no network reference at all); the data is
/// embedded as JSON in a `<script type="application/json">` element, with `<`, `>` and `&` escaped so that no string
/// of the capture can close that element. The script builds the page with `textContent` only: every string from the
/// capture stays text.
enum HTMLPage {
    static let script = HTMLScript.core + HTMLScript.anatomy + HTMLScript.finish

    /// Everything before the data: the policy, the style, the data element's start tag.
    static let head = Array("""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '\(hash(HTMLStyle.css))'; script-src '\(hash(script))'; base-uri 'none'; form-action 'none'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>wsinspect report</title>
        <style>\(HTMLStyle.css)</style>
        </head><body>
        <noscript>This report draws itself with its own inline script; allow it to run (it loads nothing).</noscript>
        <div id="report"></div>
        <script type="application/json" id="wsinspect-data">
        """.utf8)

    /// Everything after the data: the script.
    static let tail = Array("</script>\n<script>\(script)</script>\n</body></html>\n".utf8)

    /// JSON for the data element, in chunks: `<`, `>` and `&` (which JSON has only inside strings) become `\u`
    /// escapes, so no string can close the element.
    static func escapeData(_ json: UnsafeRawBufferPointer, _ emit: ([UInt8]) -> Void) {
        var escaped: [UInt8] = []
        escaped.reserveCapacity(min(json.count, 1 << 16) + 64)
        for byte in json {
            switch byte {
            case UInt8(ascii: "<"): escaped += [0x5C, 0x75, 0x30, 0x30, 0x33, 0x63]   // \u003c
            case UInt8(ascii: ">"): escaped += [0x5C, 0x75, 0x30, 0x30, 0x33, 0x65]   // \u003e
            case UInt8(ascii: "&"): escaped += [0x5C, 0x75, 0x30, 0x30, 0x32, 0x36]   // \u0026
            default: escaped.append(byte)
            }
            if escaped.count >= 1 << 16 {
                emit(escaped)
                escaped.removeAll(keepingCapacity: true)
            }
        }
        emit(escaped)
    }

    /// The whole page around `data` (JSON), in memory.
    static func render(data: [UInt8]) -> [UInt8] {
        var page = head
        data.withUnsafeBytes { escapeData($0) { page += $0 } }
        return page + tail
    }

    /// `sha256-…` of an inline element's text, as CSP names it.
    static func hash(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Array(text.utf8))).base64EncodedString()
    }
}

/// The report's style: fields coloured as in the bit figure, opcodes as in the ladder.
enum HTMLStyle {
    static let css = #"""
    body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d232a;background:#fafbfc}
    #report{max-width:1180px;margin:0 auto;padding:16px}
    h1{font-size:22px;margin:4px 0}h2{font-size:18px;margin:24px 0 6px;border-top:2px solid #d0d7de;padding-top:12px}
    h3{font-size:15px;margin:14px 0 4px}
    pre,code,.mono,table.frames td,.hdr{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
    pre{background:#f1f3f5;padding:8px;overflow-x:auto;white-space:pre-wrap}
    .ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}.warn{color:#9a6700}.dim{color:#6e7781}
    .layer{color:#444;margin:2px 0}
    .diag{border-left:4px solid #9a6700;background:#fff8e5;padding:4px 8px;margin:4px 0}
    .diag.error{border-color:#cf222e;background:#ffebe9}.diag.note{border-color:#6e7781;background:#f6f8fa}
    .chip{display:inline-block;border-radius:8px;padding:0 6px;margin:0 2px;font-size:11px;background:#ffebe9;color:#82071e}
    .chip.warning{background:#fff8c5;color:#7d4e00}.chip.note{background:#eaeef2;color:#424a53}
    table{border-collapse:collapse}td,th{padding:2px 6px;text-align:left;vertical-align:top}
    table.frames{width:100%}table.frames tr.frame{cursor:pointer}table.frames tr.frame:hover{background:#ddf4ff}
    table.frames tr.sel{background:#b6e3ff}table.frames th{position:sticky;top:0;background:#eaeef2}
    .hdr td{border-bottom:1px solid #eaeef2}.hdr tr.hit td{background:#ffebe9}
    .filters{margin:6px 0}.filters select{margin-right:8px}.pager{margin:4px 0}.pager a.off{color:#8c959f;cursor:default;text-decoration:none}
    details.findings{margin:4px 0}details.findings summary{cursor:pointer}details.findings>.diag{margin-left:16px}
    .ladder text{font:11px ui-monospace,monospace}
    #anatomy{position:fixed;top:0;right:0;width:min(820px,100%);height:100%;overflow-y:auto;background:#fff;border-left:2px solid #0969da;
      box-shadow:-4px 0 12px rgba(0,0,0,.15);padding:12px;box-sizing:border-box;display:none}
    #anatomy.open{display:block}#anatomy .close{float:right;cursor:pointer;font-size:18px}
    .f-FIN{fill:#b6e3ff;background:#b6e3ff}.f-RSV1,.f-RSV2,.f-RSV3{fill:#d8b9ff;background:#d8b9ff}
    .f-opcode{fill:#ffd8b5;background:#ffd8b5}.f-MASK{fill:#aceebb;background:#aceebb}
    .f-payload-len,.f-extended-payload-length-16,.f-extended-payload-length-64{fill:#fff1a8;background:#fff1a8}
    .f-masking-key{fill:#ffcecb;background:#ffcecb}.f-payload-data{background:#eaeef2}
    svg .hit,tr.hit td{stroke:#cf222e;stroke-width:2;outline:2px solid #cf222e}
    .bytes span.hit{background:#ff8182}
    a{color:#0969da;cursor:pointer;text-decoration:underline}
    .flash{animation:flash 1.2s}@keyframes flash{from{background:#ffd33d}to{background:transparent}}
    """#
}
