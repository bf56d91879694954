import Testing
@testable import WSCapture

/// Release builds count references non-atomically, so the reader thread and the consumer share plain memory only
/// (PacketPrefetcher's thread-ownership rule). Everything the reader thread holds or hands over must be plain: no
/// class instance, Array, String, closure or existential anywhere inside.
@Suite struct ReaderThreadOwnershipTests {
    @Test func everythingTheThreadsShareIsPlainMemory() {
        #expect(_isPOD(PacketPrefetcher.Record.self))
        #expect(_isPOD(PacketPrefetcher.Batch.self))
        #expect(_isPOD(PacketPrefetcher.Shared.self))
        #expect(_isPOD(PacketPrefetcher.ReadFailure.self))
        #expect(_isPOD(PacketReaderThread.self))
        #expect(_isPOD(PacketReaderThread.Live.self))
        #expect(_isPOD(DecodedPacket.self))
        #expect(_isPOD(PacketDecoder.self))
    }
}
