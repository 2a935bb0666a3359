/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@link HaSimCommand} is responsible for the {@code ha-sim} command line: it reads a scenario,
 * runs a {@link Simulation} and prints its output JSON.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@Command(name = "ha-sim", mixinStandardHelpOptions = true, version = "ha-sim 0.1.0",
        description = "Runs an HA scenario deterministically with the real agent, detector, planner and executor "
                + "classes on a virtual clock and prints the outcome as JSON.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:simulation ran (violations, if any, are in the output)",
            "2:invalid input (usage, unreadable file, malformed scenario, unknown event)",
            "3:the scenario uses a feature that is not supported yet (guest-hang, app-hang, reset)",
            "4:--fail-on-violation and an invariant was violated", "1:internal error" })
public final class HaSimCommand implements Callable<Integer> {

    /** Exit code for invalid input. */
    public static final int EXIT_INVALID = 2;
    /** Exit code for features of later releases. */
    public static final int EXIT_NOT_SUPPORTED = 3;
    /** Exit code when asked to fail on violations and there were some. */
    public static final int EXIT_VIOLATION = 4;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "scenario JSON file, or - for stdin")
    private String file;

    @Option(names = {"-c", "--compact"}, description = "print the output on one line")
    private boolean compact;

    @Option(names = {"--fail-on-violation"}, description = "exit with 4 when an invariant was violated")
    private boolean failOnViolation;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    private final InputStream stdin;

    /** Reads {@code -} from {@link System#in}. */
    public HaSimCommand() {
        this(System.in);
    }

    /** @param stdin what {@code -} reads */
    public HaSimCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text;
        try {
            text = "-".equals(file) ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            err.println("ha-sim: cannot read scenario " + file + ": " + e);
            err.flush();
            return EXIT_INVALID;
        }
        Scenario scenario;
        try {
            scenario = new ScenarioParser().parse(text);
        } catch (ScenarioException e) {
            if (e.notSupportedYet()) {
                err.println("ha-sim: not supported yet in scenario " + file + ": " + e.getMessage());
                err.flush();
                return EXIT_NOT_SUPPORTED;
            }
            err.println("ha-sim: invalid scenario " + file + ": " + e.getMessage());
            err.flush();
            return EXIT_INVALID;
        }
        ObjectNode result = new Simulation(scenario).run();
        out.println(toJson(result, !compact));
        out.flush();
        return failOnViolation && !result.get("violations").isEmpty() ? EXIT_VIOLATION : 0;
    }

    /**
     * @param result simulation output
     * @param pretty indent it
     * @return the JSON text (deterministic)
     * @throws JsonProcessingException never for simulation output
     */
    public static String toJson(ObjectNode result, boolean pretty) throws JsonProcessingException {
        ObjectMapper m = new ObjectMapper();
        if (pretty) {
            m.enable(SerializationFeature.INDENT_OUTPUT);
        }
        return m.writeValueAsString(result);
    }

    /**
     * @param stdin what {@code -} reads
     * @return the command line (picocli's usage errors exit 2)
     */
    public static CommandLine commandLine(InputStream stdin) {
        return new CommandLine(new HaSimCommand(stdin));
    }

    /** @param args command-line arguments */
    public static void main(String[] args) {
        System.exit(commandLine(System.in).execute(args));
    }
}
