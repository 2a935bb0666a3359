/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Finding 8 of issue 14: what reaches a terminal or a log line from a message. */
class SafeTextTest {

    @Test
    void controlCharactersAnsiSequencesAndBidiOverridesBecomeVisibleEscapes() {
        assertThat(SafeText.escape("VM\u001b[2J\u001b]0;pwned\u0007")).isEqualTo("VM\\u001B[2J\\u001B]0;pwned\\u0007");
        assertThat(SafeText.escape("a\u009b31mb")).isEqualTo("a\\u009B31mb");
        assertThat(SafeText.escape("invoice\u202Efdp.exe")).isEqualTo("invoice\\u202Efdp.exe");
        assertThat(SafeText.escape("x\u2066y\u2069\u200Bz\uFEFF")).isEqualTo("x\\u2066y\\u2069\\u200Bz\\uFEFF");
        assertThat(SafeText.escape("line\nnext\r\ttab")).isEqualTo("line\\nnext\\r\\ttab");
        assertThat(SafeText.escape("back\\slash")).isEqualTo("back\\\\slash");
        assertThat(SafeText.escape("lone\uD800")).isEqualTo("lone\\uD800");
        assertThat(SafeText.escape("tag\uDB40\uDC41")).isEqualTo("tag\\u{E0041}");
    }

    @Test
    void printableTextOfAnyScriptStaysAsItIs() {
        for (String s : new String[] {"VM07", "Überwachung-ÄÖÜ", "виртуальная", "仮想マシン", "عربى", "emoji \uD83D\uDE00",
                "a-b_c.d e/f:g"}) {
            assertThat(SafeText.escape(s)).isEqualTo(s);
            assertThat(SafeText.forTerminal(s)).isEqualTo(s);
        }
    }

    @Test
    void theTerminalFormKeepsTheLayoutAndEscapesTheRest() {
        assertThat(SafeText.forTerminal("a\tb\nc\u001b[31m\u202E")).isEqualTo("a\tb\nc\\u001B[31m\\u202E");
        assertThat(SafeText.forTerminal("already \\u001B escaped")).isEqualTo("already \\u001B escaped");
    }

    @Test
    void aPrefixIsShortEscapedAndSaysHowLongTheWholeWas() {
        String big = "\u001b".repeat(20_000_000 / 1000) + "x".repeat(1_000_000);
        String p = SafeText.prefix(big, 50);
        assertThat(p).hasSizeLessThan(50 * 6 + 30).startsWith("\\u001B").endsWith("…(1020000 chars)");
        assertThat(SafeText.prefix("short")).isEqualTo("short");
        assertThat(SafeText.prefix(null)).isEqualTo("<none>");
    }

    @Property(tries = 2000)
    void noEscapedTextContainsAControlOrBidiCharacter(@ForAll String s) {
        for (String out : new String[] {SafeText.escape(s), SafeText.prefix(s, 40)}) {
            out.codePoints().forEach(cp -> assertThat(SafeText.unsafe(cp)).as("U+%04X in %s", cp, out).isFalse());
        }
        SafeText.forTerminal(s).codePoints().filter(cp -> cp != '\n' && cp != '\t')
                .forEach(cp -> assertThat(SafeText.unsafe(cp)).isFalse());
    }
}
