/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.vmha.core.inventory.HaPlanReport;
import org.vmha.core.inventory.Inventory;
import org.vmha.core.inventory.InventoryCodec;
import org.vmha.core.inventory.InventoryException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@link HaPlanCommand} is responsible for the offline capacity planner {@code ha-plan}: it reads
 * an inventory JSON (a file, or {@code -} for standard input), applies its requests under its
 * admission policy and prints the JSON report (format in docs/ha-plan.md).
 * <p>
 * Exit codes: 0 report printed; 2 invalid input (usage, unreadable file, invalid inventory: the error
 * names the field); 1 unexpected internal error.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@Command(name = "ha-plan", mixinStandardHelpOptions = true, version = "ha-plan 0.1.0",
        description = "Reports admission-control capacity and failover plans for an inventory JSON.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:report printed", "2:invalid input (usage, unreadable file, invalid inventory)",
            "1:internal error" })
public final class HaPlanCommand implements Callable<Integer> {

    /** Exit code for invalid input. */
    public static final int EXIT_INVALID = 2;

    @Parameters(index = "0", paramLabel = "INVENTORY", description = "inventory JSON file, or - for stdin")
    private String inventory;

    @Option(names = {"-a", "--all-combinations"},
            description = "plan every combination of hostFailures connected hosts instead of every single host")
    private boolean allCombinations;

    @Option(names = {"-c", "--compact"}, description = "print the report on one line")
    private boolean compact;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    private final InputStream stdin;

    /** Reads {@code -} from {@link System#in}. */
    public HaPlanCommand() {
        this(System.in);
    }

    /**
     * @param stdin what {@code -} reads
     */
    public HaPlanCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text;
        try {
            text = "-".equals(inventory) ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(inventory), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            err.println("ha-plan: cannot read inventory " + inventory + ": " + e);
            err.flush();
            return EXIT_INVALID;
        }
        Inventory inv;
        try {
            inv = new InventoryCodec().parse(text);
        } catch (InventoryException e) {
            err.println("ha-plan: invalid inventory " + inventory + ": " + e.getMessage());
            err.flush();
            return EXIT_INVALID;
        }
        HaPlanReport report = new HaPlanReport();
        ObjectNode json = report.report(inv, allCombinations);
        out.println(compact ? json.toString() : report.toJson(json));
        out.flush();
        return 0;
    }

    /**
     * Builds the command line. Picocli's own exit codes apply: usage errors exit 2, an exception
     * escaping {@link #call()} exits 1.
     *
     * @param stdin what {@code -} reads
     * @return the command line
     */
    public static CommandLine commandLine(InputStream stdin) {
        return new CommandLine(new HaPlanCommand(stdin));
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine(System.in).execute(args));
    }
}
