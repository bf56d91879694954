// wsinspect-capgen: writes a deterministic synthetic capture of many interleaved WebSocket connections, for benchmarks
// and for scoring wsinspect on lossy captures.
//
//   wsinspect-capgen --size 100M --out big.pcap [--connections 200] [--seed 1] [--deflate] [--payloads FILE]
//                    [--drop-fraction 0.02 --drop-seed N] [--truth FILE]
//   wsinspect-capgen score TRUTH OUTPUT
//
// Every connection has a TCP handshake, an HTTP upgrade with a random key and the correct Accept, masked client
// frames with random keys, unmasked server frames, a mix of 7/16/64-bit lengths, fragmented messages, pings and
// pongs, a close handshake and FINs. Data goes in MSS-sized (1448-byte) segments, acknowledged every two segments.
// With --deflate, permessage-deflate is negotiated and messages are compressed with context takeover;
// --payloads then also writes every compressed message (for the zlib-only floor in Benchmarks/zlib_floor.c).
// --drop-fraction leaves that fraction of the packets out of the file, chosen by --drop-seed independently of the
// traffic (the same --seed gives the same traffic at every loss rate). --truth writes every frame that was sent, with
// its stream offset, header and payload lengths, and whether all of its bytes are in the file.
// `score` compares `wsinspect --json --max-payload 16` output with a truth file (Docs/robustness.md).
import Foundation
import WSCapture
import WSTestSupport
import WSWire

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "score" {
    guard arguments.count == 3 else { fail("usage: wsinspect-capgen score TRUTH.jsonl OUTPUT.jsonl") }
    do {
        let score = try LossScore(truth: String(contentsOfFile: arguments[1], encoding: .utf8),
                                  output: Data(contentsOf: URL(fileURLWithPath: arguments[2])))
        print(score.report)
    } catch {
        fail("cannot score: \(error)")
    }
    exit(0)
}

let options = GeneratorOptions(arguments)
var random = Random(state: options.seed)
var drops = SplitMix64(seed: options.dropSeed)
let writer: PcapStreamWriter
do { writer = try PcapStreamWriter(path: options.out) } catch { fail("cannot write \(options.out): \(error)") }
let payloads = options.payloads.map(PayloadLog.init)
let truthWriter = options.truth.map(TruthWriter.init)
let builder = PacketBuilder()
var active: [Connection] = []
var nextID = 0
var clock: UInt64 = 1_700_000_000_000_000
var dropped = 0
var droppedBytes: UInt64 = 0
// The size counts the packets left out too, so that every loss rate has the same traffic.
while writer.size + droppedBytes < options.size {
    while active.count < options.connections {
        let connection = Connection(id: nextID, random: &random, deflate: options.deflate, recordTruth: truthWriter != nil)
        nextID += 1
        connection.open(&random, deflate: options.deflate)
        active.append(connection)
    }
    let index = random.below(active.count)
    let connection = active[index]
    if !connection.hasPackets {
        if connection.closed {
            active.swapAt(index, active.count - 1)
            active.removeLast()
            if let truth = connection.truth { truthWriter?.write(truth) }
            continue
        }
        connection.next(&random, payloads: payloads)
    }
    for _ in 0..<random.range(1...4) {
        guard let p = connection.take() else { break }
        let from = p.fromClient ? connection.client : connection.server
        let to = p.fromClient ? connection.server : connection.client
        clock += UInt64(random.range(2...20))
        // Drops draw from their own generator, so the traffic is the same at every loss rate.
        let kept = options.dropFraction == 0 || Double(drops.next() >> 11) / Double(1 << 53) >= options.dropFraction
        connection.truth?.packet(fromClient: p.fromClient, syn: p.flags.contains(.syn), sequence: p.seq,
                                 payloadLength: p.payload.count, kept: kept)
        let packet = builder.tcp(from: from, to: to, seq: p.seq, ack: p.ack, flags: p.flags, payload: p.payload)
        if kept {
            writer.write(packet, microseconds: clock)
        } else {
            dropped += 1
            droppedBytes += UInt64(16 + packet.count)
        }
    }
}
writer.close()
payloads?.flush()
for connection in active { if let truth = connection.truth { truthWriter?.write(truth) } }
truthWriter?.close()
FileHandle.standardError.write(Data("wsinspect-capgen: wrote \(options.out): \(writer.bytesWritten) bytes, \(writer.packets) packets, \(nextID) connections\(dropped > 0 ? ", \(dropped) packets left out" : "")\n".utf8))
