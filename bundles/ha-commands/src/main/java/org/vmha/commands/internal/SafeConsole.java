/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.vmha.core.security.SafeText;

/**
 * The {@link SafeConsole} is responsible for making sure that nothing an {@code ha:*} command prints can drive the
 * operator's terminal: every text that goes through it is passed through {@link SafeText#forTerminal} (control
 * characters, ANSI escape sequences, bidi overrides and invisible characters become visible escapes; line feeds and
 * tabs stay). VM names, reasons and event data come from messages, so every command prints through it
 * ({@link HaCommandSupport#out()}), and table cells are escaped before ({@link SafeText#escape}).
 * <p>
 * <b>Threading:</b> as {@link PrintStream}.
 *
 * @author vmha - Initial contribution
 */
final class SafeConsole extends PrintStream {

    SafeConsole(PrintStream console) {
        super(console, true, StandardCharsets.UTF_8);
    }

    static PrintStream wrap(PrintStream console) {
        return console instanceof SafeConsole ? console : new SafeConsole(console);
    }

    @Override
    public void print(String s) {
        super.print(SafeText.forTerminal(s == null ? "null" : s));
    }

    @Override
    public void print(Object o) {
        print(String.valueOf(o));
    }

    @Override
    public void print(char[] s) {
        print(new String(s));
    }

    @Override
    public void print(char c) {
        print(String.valueOf(c));
    }

    @Override
    public void println(String s) {
        synchronized (this) {
            print(s);
            println();
        }
    }

    @Override
    public void println(Object o) {
        println(String.valueOf(o));
    }

    @Override
    public void println(char[] s) {
        println(new String(s));
    }

    @Override
    public PrintStream append(CharSequence csq) {
        print(String.valueOf(csq));
        return this;
    }
}
