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

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
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
public class PlanCommand implements Action {

    @Argument(index = 0, name = "inventory", required = true,
            description = "Inventory JSON file (docs/ha-plan.md); a relative path is resolved against KARAF_BASE")
    @Completion(FileCompleter.class)
    String inventory;

    @Option(name = "-a", aliases = "--all-combinations",
            description = "Plan every combination of hostFailures hosts, not only each single host")
    boolean allCombinations;

    @Option(name = "--json", description = "Print the report as JSON, exactly as bin/ha-plan does")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream out = session.getConsole();
        Path file = Paths.resolve(inventory);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read inventory " + file + ": " + describe(e));
        }
        Inventory parsed;
        try {
            parsed = new InventoryCodec().parse(text);
        } catch (InventoryException e) {
            throw new IllegalArgumentException("invalid inventory " + file + ": " + e.getMessage());
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
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
