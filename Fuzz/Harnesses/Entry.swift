#if canImport(Glibc)
import Glibc
#endif

/// One line on standard error.
func say(_ line: String) {
    let text = line + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}

#if FUZZING
/// libFuzzer's entry: the harness is named by WSINSPECT_FUZZ_HARNESS (Fuzz/run.sh sets it).
nonisolated(unsafe) let selectedHarness: Harness = {
    let name = getenv("WSINSPECT_FUZZ_HARNESS").map { String(cString: $0) } ?? ""
    guard let harness = Harness(rawValue: name) else {
        say("set WSINSPECT_FUZZ_HARNESS to one of: \(Harness.allCases.map(\.rawValue).joined(separator: ", "))")
        exit(2)
    }
    return harness
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedHarness.run(size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer's driver, for programs that have their own main (SwiftPM gives every executable one).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@main
struct Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        _ = selectedHarness
        exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
    }
}
#else
/// Replays saved inputs: `wsinspect-fuzz HARNESS FILE...` runs each file through the harness (exit 0 = no crash).
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let harness = Harness(rawValue: name) else {
            say("usage: wsinspect-fuzz \(Harness.allCases.map(\.rawValue).joined(separator: "|")) FILE...")
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let file = fopen(path, "rb") else {
                say("wsinspect-fuzz: cannot read \(path)")
                exit(2)
            }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&buffer, 1, buffer.count, file)
                if n <= 0 { break }
                bytes += buffer[0..<n]
            }
            fclose(file)
            harness.run(bytes)
        }
    }
}
#endif
