import Testing
@testable import Terminal

/// What a person types arrives as bytes, sometimes split over several reads on a slow link.
struct KeyDecoderTests {
    /// Feeds each chunk at its time and expires what is due at the end, as the loop does.
    func keys(_ chunks: [(String, Double)], until end: Double? = nil) -> [Key] {
        var decoder = KeyDecoder()
        var keys: [Key] = []
        for (text, time) in chunks {
            keys += decoder.expire(at: time)
            keys += decoder.feed(Array(text.utf8), at: time)
        }
        if let end { keys += decoder.expire(at: end) }
        return keys
    }

    @Test func arrowsInBothCursorModesAndTheCommonHomeAndEndForms() {
        #expect(keys([("\u{1B}[A\u{1B}OB\u{1B}[C\u{1B}OD", 0)]) == [.up, .down, .right, .left])
        #expect(keys([("\u{1B}[1~\u{1B}[H\u{1B}OH\u{1B}[7~", 0)]) == [.home, .home, .home, .home])
        #expect(keys([("\u{1B}[4~\u{1B}[F\u{1B}OF\u{1B}[8~", 0)]) == [.end, .end, .end, .end])
        #expect(keys([("\u{1B}[5~\u{1B}[6~\u{1B}[3~\u{1B}[Z", 0)]) == [.pageUp, .pageDown, .delete, .backTab])
        #expect(keys([("\u{1B}OP\u{1B}[[A\u{1B}[11~\u{1B}[24~", 0)]) == [.function(1), .function(1), .function(1), .function(12)])
    }

    @Test func modifiedArrowsReadAsTheArrow() {
        #expect(keys([("\u{1B}[1;5A\u{1B}[1;2B\u{1B}[3;5~", 0)]) == [.up, .down, .delete])
        // rxvt: Shift-Up, Ctrl-Left.
        #expect(keys([("\u{1B}[a\u{1B}Od", 0)]) == [.up, .left])
    }

    @Test func aSequenceSplitAcrossReadsWithinTheDelayIsOneKey() {
        #expect(keys([("\u{1B}", 0), ("[", 0.03), ("A", 0.06)], until: 1) == [.up])
        #expect(keys([("\u{1B}[1", 0), ("~", 0.05)], until: 1) == [.home])
    }

    @Test func aLoneEscActsWhenItsShortWaitIsOver() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B], at: 10).isEmpty)
        let deadline = try! #require(decoder.deadline)
        #expect(deadline > 10 && deadline <= 10.1)
        #expect(decoder.expire(at: 10.01).isEmpty)
        #expect(decoder.expire(at: deadline) == [.escape])
        #expect(decoder.deadline == nil)
    }

    @Test func escThenAnotherKeyIsEscAndTheKeyHoweverTheyCome() {
        #expect(keys([("\u{1B}\u{1B}[B", 0)]) == [.escape, .down])
        #expect(keys([("\u{1B}", 0), ("j", 0.5)]) == [.escape, .character("j")])
        #expect(keys([("\u{1B}", 0), ("q", 0.02)]) == [.escape, .character("q")])
        // Alt-x as a terminal sends it, and Alt with a multi-byte character or a control key.
        #expect(keys([("\u{1B}x\u{1B}é\u{1B}\u{7F}", 0)]) == [.escape, .character("x"), .escape, .character("é"), .escape, .backspace])
        // Esc then [ or O with nothing after: not the start of a sequence after all.
        #expect(keys([("\u{1B}[", 0)], until: 1) == [.escape, .character("[")])
        #expect(keys([("\u{1B}O", 0)], until: 1) == [.escape, .character("O")])
    }

    @Test func unknownSequencesAreDroppedWhole() {
        #expect(keys([("\u{1B}[?1;2c\u{1B}[I\u{1B}[O\u{1B}[99~k", 0)]) == [.character("k")])
        #expect(keys([("\u{1B}Ozj", 0)]) == [.character("j")])
        // A sequence cut off by something that cannot be in one: the broken part goes.
        #expect(keys([("\u{1B}[12\u{1B}[A", 0)]) == [.up])
    }

    @Test func utf8SplitAcrossReadsIsOneCharacter() {
        let bytes = Array("é漢😀".utf8)
        var decoder = KeyDecoder()
        var got: [Key] = []
        for (index, byte) in bytes.enumerated() { got += decoder.feed([byte], at: Double(index) * 0.01) }
        #expect(got == [.character("é"), .character("漢"), .character("😀")])
    }

    @Test func bytesThatAreNotUTF8BecomeAVisibleReplacement() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0xE9, 0x41], at: 0) == [.character("\u{FFFD}"), .character("A")])
        #expect(decoder.feed([0xE2, 0x82], at: 1).isEmpty)
        #expect(decoder.expire(at: 2) == [.character("\u{FFFD}")])
    }

    @Test func controlBytes() {
        #expect(keys([("\t\r\n\u{7F}\u{08}\u{03}\u{13}", 0)]) == [.tab, .enter, .enter, .backspace, .backspace, .control("c"), .control("s")])
        // NUL, a file separator, and C1 CSI (U+009B) as a UTF-8 terminal sends it.
        #expect(keys([("\u{00}\u{1C}\u{9B}x", 0)]) == [.character("x")])
    }

    @Test func bracketedPasteIsOneKeyWhateverItHolds() {
        #expect(keys([("\u{1B}[200~q\tCERT\u{1B}[A 1\r\u{1B}[201~", 0), ("j", 0.5)]) == [.paste("q\tCERT\u{1B}[A 1\r"), .character("j")])
    }

    @Test func whatFollowsAPasteInTheSameReadIsPastedToo() {
        // A paste holding its own end marker, as tmux passes it on: Ctrl-S and y after it
        // must not save.
        let attack = "\u{1B}[200~PASTED\u{1B}[201~\u{13}y\u{1B}[201~"
        #expect(keys([(attack, 0)]) == [.paste("PASTED\u{13}y")])
        #expect(keys([("\u{1B}[200~A\u{1B}[201~\u{1B}[200~B\u{1B}[201~", 0)]) == [.paste("AB")])
    }

    @Test func aPasteSplitAnywhereIncludingItsEndMarker() {
        let whole = "\u{1B}[200~AB-12 é\u{1B}[201~"
        let bytes = Array(whole.utf8)
        for cut in 1..<bytes.count {
            var decoder = KeyDecoder()
            let got = decoder.feed(bytes[..<cut], at: 0) + decoder.feed(bytes[cut...], at: 0.02) + decoder.feed(Array("k".utf8), at: 0.5)
            #expect(got == [.paste("AB-12 é"), .character("k")], "cut at \(cut)")
        }
    }

    @Test func terminalRepliesAndMouseReportsAreDroppedWhole() {
        let replies = "\u{1B}]11;rgb:0000/0000/0000\u{1B}\\\u{1B}]11;rgb:ffff/ffff/ffff\u{07}\u{1B}P1$r0m\u{1B}\\\u{1B}_Gi=1;OK\u{1B}\\\u{1B}[M !!"
        #expect(keys([(replies + "j", 0)]) == [.character("j")])
        // A reply split across reads is still one.
        #expect(keys([("\u{1B}]11;rgb:00", 0), ("00/0000\u{07}k", 0.02)]) == [.character("k")])
    }

    @Test func theNumericKeypadInApplicationModeTypes() {
        #expect(keys([("\u{1B}Oq\u{1B}Op\u{1B}Om\u{1B}On\u{1B}Oo\u{1B}Oy\u{1B}OM", 0)])
                == [.character("1"), .character("0"), .character("-"), .character("."), .character("/"), .character("9"), .enter])
    }

    @Test func theRestOfAUTF8CharacterIsWaitedForLongerThanEsc() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0xE7, 0x8E], at: 0).isEmpty)
        #expect(decoder.expire(at: 0.5).isEmpty)
        #expect(decoder.feed([0x8B], at: 0.5) == [.character("王")])
    }

    @Test func aPasteThatNeverEndsIsGivenUpAfterASecondOfSilence() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(Array("\u{1B}[200~text".utf8), at: 0).isEmpty)
        #expect(decoder.expire(at: 0.5).isEmpty)
        #expect(decoder.expire(at: 1.0) == [.paste("text")])
        #expect(decoder.feed(Array("q".utf8), at: 2) == [.character("q")])
    }

    @Test func theTerminalsOwnSequencesFromTerminfoAreUsed() {
        var decoder = KeyDecoder(sequences: [Array("\u{1B}[9z".utf8): .function(9)])
        #expect(decoder.feed(Array("\u{1B}[9z\u{1B}[A".utf8), at: 0) == [.function(9), .up])
    }
}
