/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.vmha.api.command.request.WhatIfRequest;
import org.vmha.core.inventory.HaPlanReport;
import org.vmha.core.inventory.Inventory;
import org.vmha.core.inventory.InventoryCodec;
import org.vmha.core.inventory.InventoryException;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link PlanCommand} is responsible for {@code ha:plan}: the admission report and the failure plans of
 * an inventory, the same report as {@code bin/ha-plan} (docs/ha-plan.md), as tables or as JSON.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "plan", description = "What-if: the admission report and the failover plan for each "
        + "host failure of an inventory (the bin/ha-plan format)")
public class PlanCommand extends HaCommandSupport {

    @Argument(index = 0, name = "inventory", required = false,
            description = "Inventory JSON file (docs/ha-plan.md); a relative path is resolved against KARAF_BASE. "
                    + "Without it: the live cluster")
    @Completion(FileCompleter.class)
    String inventory;

    @Option(name = "-a", aliases = "--all-combinations",
            description = "Plan every combination of hostFailures hosts, not only each single host")
    boolean allCombinations;

    @Option(name = "--fail", description = "Live cluster: what would happen if these hosts (comma separated) "
            + "failed now; default: each connected host on its own")
    @Completion(HostNameCompleter.class)
    String fail;

    @Option(name = "--json", description = "Print the report as JSON, exactly as bin/ha-plan does")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    @Override
    protected Object doExecute() throws Exception {
        PrintStream out = out();
        if (inventory == null) {
            return live(out);
        }
        if (fail != null) {
            throw new IllegalArgumentException("--fail is for the live cluster; with an inventory, mark hosts "
                    + "\"state\": \"FAILED\" in it or use --all-combinations");
        }
        Path file = Paths.readable(inventory, "inventory");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read inventory " + inventory + ": " + describe(e));
        }
        Inventory parsed;
        try {
            parsed = new InventoryCodec().parse(text);
        } catch (InventoryException e) {
            // the codec quotes values of the file; an error must not show what a file contains (issue 14)
            throw new IllegalArgumentException("invalid inventory " + inventory + ": " + Paths.redact(e.getMessage())
                    + " (bin/ha-plan " + inventory + " shows the values)");
        }
        HaPlanReport report = new HaPlanReport();
        ObjectNode result = report.report(parsed, allCombinations);
        if (json) {
            out.println(report.toJson(result));
        } else {
            new PlanView(result).print(out, !noFormat);
        }
        return null;
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        return e.getClass().getSimpleName();
    }

    private Object live(PrintStream out) throws Exception {
        if (allCombinations) {
            throw new IllegalArgumentException("--all-combinations needs an inventory; for the live cluster name "
                    + "the hosts with --fail H1,H2");
        }
        java.util.List<String> hosts = new java.util.ArrayList<>();
        if (fail != null) {
            for (String h : fail.split(",")) {
                if (!h.isBlank()) {
                    hosts.add(h.trim());
                }
            }
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("--fail needs host names, comma separated");
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode r = call("what-if", new WhatIfRequest(hosts),
                com.fasterxml.jackson.databind.node.ObjectNode.class);
        if (json) {
            printJson(r);
        } else {
            new PlanView(r).print(out, !noFormat);
        }
        return null;
    }
}
