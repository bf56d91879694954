import Testing
@testable import WSWire

/// The likely mistake behind a wrong Sec-WebSocket-Accept. Every wrong value below was computed independently of
/// wsinspect (Python's hashlib and base64) from the key by the mistaken recipe named in the test; the right values are
/// RFC 6455 §1.3's example (dGhlIHNhbXBsZSBub25jZQ== → s3pPLMBiTxaQ9kYGzzhZRbK+xOo=) and the tutorial's key
/// (In1aAp/ya9Lkv+tsUtXLXQ== → HBMDBbZMiS59r3aAITpGtJ64Mfc=).
@Suite struct AcceptMistakeTests {
    static let rfcKey = "dGhlIHNhbXBsZSBub25jZQ=="
    static let tutorialKey = "In1aAp/ya9Lkv+tsUtXLXQ=="

    static func mistake(_ key: String, _ received: String) -> AcceptMistake? {
        LikelyAcceptMistake(key: key, received: received)?.mistake
    }

    @Test func rightValuesHaveNoMistake() {
        // Known answers: the RFC's and the tutorial's accept values are right, also with spaces around them.
        #expect(LikelyAcceptMistake(key: Self.rfcKey, received: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == nil)
        #expect(LikelyAcceptMistake(key: Self.tutorialKey, received: " HBMDBbZMiS59r3aAITpGtJ64Mfc=\t") == nil)
    }

    @Test func hexDigestIsSha1HexNotBase64() {
        // SHA-1(key + GUID) of the RFC key as 40 hex digits (b37a4f2c…): lower case, upper case, colon-separated,
        // space-separated all name sha1-hex-not-base64.
        for hex in ["b37a4f2cc0624f1690f64606cf385945b2bec4ea", "B37A4F2CC0624F1690F64606CF385945B2BEC4EA",
                    "b3:7a:4f:2c:c0:62:4f:16:90:f6:46:06:cf:38:59:45:b2:be:c4:ea",
                    "b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea"] {
            #expect(Self.mistake(Self.rfcKey, hex) == .sha1HexNotBase64, "\(hex)")
        }
        // The tutorial key's digest in hex (1c130305…).
        #expect(Self.mistake(Self.tutorialKey, "1c130305b64c892e7daf7680213a46b49eb831f7") == .sha1HexNotBase64)
    }

    @Test func base64OfTheHexDigestIsSha1HexNotBase64() {
        // base64 of the 40 ASCII hex digits of SHA-1(key + GUID) (PHP's base64_encode(sha1(...))): 56 characters.
        let likely = LikelyAcceptMistake(key: Self.rfcKey, received: "YjM3YTRmMmNjMDYyNGYxNjkwZjY0NjA2Y2YzODU5NDViMmJlYzRlYQ==")
        #expect(likely?.mistake == .sha1HexNotBase64)
        #expect(likely?.evidence?.contains("base64 of the 40 hex digits") == true)
    }

    @Test func keyHashedAloneIsGuidMissing() {
        // base64(SHA-1(key)) without the GUID: RFC key → hHLtf2V1…, tutorial key → zK+sC5Ea….
        #expect(Self.mistake(Self.rfcKey, "hHLtf2V1k8aDQZfNjw3Ia1hCwt0=") == .guidMissing)
        #expect(Self.mistake(Self.tutorialKey, "zK+sC5Ea8tvMUiiMMgypsHzvh7s=") == .guidMissing)
    }

    @Test func misspeltGuidIsWrongGuid() {
        // base64(SHA-1(key + G)) for misspellings G of the GUID, each with the words that say how G differs.
        let cases: [(String, String, String)] = [
            // lowercase GUID
            (Self.rfcKey, "WJfwerbIozKsJXHxxI0JTO1SQgU=", "in lowercase"),
            (Self.tutorialKey, "HKmg/cT1H7C8YpCKlJVkMJFTRac=", "in lowercase"),
            // 258EAFA5-E814-…: '8' typed for the '9' at character 11
            (Self.rfcKey, "+A3j6elrcyYvjLoLMF3c04K5SUg=", "'8' instead of '9' at character 11"),
            // 258EAFA5-E914-47DA-95CAC5AB0DC85B11: the last dash (character 24) left out
            (Self.rfcKey, "cknzoUgmQvPpY+PgsqrBUz413ZA=", "without its character 24 ('-')"),
            // …5B111: the last '1' typed twice
            (Self.rfcKey, "GGrqvhutPhRy/ZkN885vUHP1Qmo=", "typed twice"),
            // 258EAFA5E91447DA95CAC5AB0DC85B11: no dashes
            (Self.tutorialKey, "LEaPeRtZXUEdEw51o3FpjGmdeOU=", "without its dashes"),
            // GUID + key instead of key + GUID
            (Self.rfcKey, "2OZf2Seed9yzIpkj+zvC9KS9Mjw=", "before the key"),
        ]
        for (key, received, words) in cases {
            let likely = LikelyAcceptMistake(key: key, received: received)
            #expect(likely?.mistake == .wrongGUID, "\(received)")
            #expect(likely?.evidence?.contains(words) == true, "\(received): \(likely?.evidence ?? "nil")")
        }
    }

    @Test func decodedKeyHashedIsKeyDecodedFirst() {
        // base64(SHA-1(base64decode(key) + GUID)): the 16 nonce bytes hashed instead of the 24 characters.
        #expect(Self.mistake(Self.rfcKey, "BXhwxM0SZasKmCD9S4BfpPmCnEw=") == .keyDecodedFirst)
        #expect(Self.mistake(Self.tutorialKey, "5FRYZAmK0+QEgL/67Kn2uIvBCCA=") == .keyDecodedFirst)
        // base64(SHA-1(base64decode(key))): decoded and without the GUID as well.
        let alone = LikelyAcceptMistake(key: Self.rfcKey, received: "nYNUMU3LUURODadrlj9ew7SwzYI=")
        #expect(alone?.mistake == .keyDecodedFirst)
        #expect(alone?.evidence?.contains("without the GUID") == true)
    }

    @Test func whitespaceHashedIsWhitespaceInKey() {
        let cases: [(String, String, String)] = [
            // " " + key + GUID: the space after the header's colon kept
            (Self.rfcKey, "s3mCG3XUBfFRrUGpYOBQiHm5i8g=", "a space before the key"),
            (Self.tutorialKey, "PiqWm37M2J8Yre3j1ApsWqc80Tw=", "a space before the key"),
            // key + "\r\n" + GUID: the header line's ending kept
            (Self.rfcKey, "kex8Ji4w0ek1Mc3Dwcf4mOpf5b4=", "a line ending (\\r\\n) after the key"),
            // "\t" + key + GUID
            (Self.tutorialKey, "ku0FSuwHafQU8reWmMgEhhsVhws=", "a tab before the key"),
            // key + GUID + "\n": echo without -n
            (Self.rfcKey, "BQgomKt49tqcGtJYe4ASzQz1IXI=", "a newline after the GUID"),
        ]
        for (key, received, words) in cases {
            let likely = LikelyAcceptMistake(key: key, received: received)
            #expect(likely?.mistake == .whitespaceInKey, "\(received)")
            #expect(likely?.evidence?.contains(words) == true, "\(received): \(likely?.evidence ?? "nil")")
        }
    }

    @Test func keySentBackIsKeyUsedAsAccept() {
        // The key itself as the accept value.
        #expect(Self.mistake(Self.rfcKey, Self.rfcKey) == .keyUsedAsAccept)
        #expect(Self.mistake(Self.tutorialKey, " " + Self.tutorialKey) == .keyUsedAsAccept)
    }

    @Test func anythingElseIsUnknown() {
        // The other key's accept value, a one-character change of the right value, and junk reproduce no mistake.
        for received in ["HBMDBbZMiS59r3aAITpGtJ64Mfc=", "s3pPLMBiTxaQ9kYGzzhZRbK+xOp=", "wrong=", ""] {
            let likely = LikelyAcceptMistake(key: Self.rfcKey, received: received)
            #expect(likely?.mistake == .unknown, "\(received)")
            #expect(likely?.evidence == nil)
        }
    }

    @Test func idsAndExplanationsAreTheContract() {
        // The ids of issue #13 item 5, exactly, and a one-line explanation for each.
        #expect(AcceptMistake.allCases.map(\.id) == ["sha1-hex-not-base64", "guid-missing", "wrong-guid", "key-decoded-first",
                                                    "whitespace-in-key", "key-used-as-accept", "unknown"])
        for mistake in AcceptMistake.allCases {
            #expect(!mistake.explanation.isEmpty && !mistake.explanation.contains("\n"))
            #expect(mistake.explanation.hasSuffix("."))
        }
    }

    @Test func guidVariantsAreOneTypoAwayAndDistinct() {
        let variants = LikelyAcceptMistake.guidVariants().map(\.guid)
        #expect(Set(variants).count == variants.count)
        #expect(!variants.contains(AcceptDerivation.guid))
        #expect(variants.contains("258eafa5-e914-47da-95ca-c5ab0dc85b11"))
        #expect(variants.count > 900 && variants.count < 1100)
    }
}

/// The key as pasted: alone, as its header line, or in a whole request on standard input.
@Suite struct WebSocketKeyInputTests {
    @Test func headerLineInAnyCaseWithOptionalWhitespace() {
        for line in ["Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-key:dGhlIHNhbXBsZSBub25jZQ==",
                     "  SEC-WEBSOCKET-KEY :\tdGhlIHNhbXBsZSBub25jZQ==  "] {
            #expect(WebSocketKeyInput.key(in: line) == "dGhlIHNhbXBsZSBub25jZQ==", "\(line)")
        }
        // Not the header: the text is the key as given.
        #expect(WebSocketKeyInput.headerValue(in: "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == nil)
        #expect(WebSocketKeyInput.headerValue(in: "Sec-WebSocket-Key-Extra: x") == nil)
        #expect(WebSocketKeyInput.key(in: "dGhlIHNhbXBsZSBub25jZQ==") == "dGhlIHNhbXBsZSBub25jZQ==")
    }

    @Test func standardInput() {
        #expect(WebSocketKeyInput.key(inText: "dGhlIHNhbXBsZSBub25jZQ==\r\n") == .success("dGhlIHNhbXBsZSBub25jZQ=="))
        #expect(WebSocketKeyInput.key(inText: "\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n\n") == .success("dGhlIHNhbXBsZSBub25jZQ=="))
        let request = "GET /chat HTTP/1.1\r\nHost: x\r\nSec-WebSocket-Key: In1aAp/ya9Lkv+tsUtXLXQ==\r\nUpgrade: websocket\r\n\r\n"
        #expect(WebSocketKeyInput.key(inText: request) == .success("In1aAp/ya9Lkv+tsUtXLXQ=="))
        #expect(WebSocketKeyInput.key(inText: " \n\t\n") == .failure(.empty))
        #expect(WebSocketKeyInput.key(inText: "one\ntwo\n") == .failure(.severalLines(2)))
    }
}
