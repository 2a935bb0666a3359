/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link SimulateCommand} is responsible for {@code ha:simulate}: it runs the deterministic simulator
 * (bin/ha-sim, docs/ha-sim.md) on a scenario file in a JVM of its own, so that a large simulation cannot take
 * memory or threads from the node, and shows the outcome as tables (or the simulator's JSON with --json).
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "simulate", description = "Runs the deterministic HA simulator (bin/ha-sim) on a "
        + "scenario file and shows where every VM ended, the hosts' states and any invariant violation")
public class SimulateCommand extends HaCommandSupport {

    @Argument(index = 0, name = "scenario", required = true,
            description = "Scenario JSON file (docs/ha-sim.md); a relative path is resolved against KARAF_BASE")
    @Completion(FileCompleter.class)
    String scenario;

    @Option(name = "--json", description = "Print the simulator's JSON output (the public format of bin/ha-sim)")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    @Option(name = "-t", aliases = "--timeout", description = "Give up after this many seconds of wall-clock time")
    int timeoutSeconds = 300;

    @Override
    protected Object doExecute() throws Exception {
        PrintStream out = out();
        Path file = Paths.readable(scenario, "scenario");
        Path jar = simulatorJar();
        // the same JVM options as bin/ha-sim
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xms1g", "-Xmx1g", "-cp", jar.toString(), "org.vmha.sim.run.HaSimCommand",
                "--compact", file.toString());
        File stdout = File.createTempFile("ha-sim", ".json");
        File stderr = File.createTempFile("ha-sim", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(stdout).redirectError(stderr).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the simulation of " + file + " did not finish within "
                        + timeoutSeconds + " s (--timeout)");
            }
            String result = Files.readString(stdout.toPath(), StandardCharsets.UTF_8);
            String error = Files.readString(stderr.toPath(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                // the simulator's message may quote the file; show only what names the problem (issue 14)
                throw new IllegalArgumentException(error.isEmpty() ? "ha-sim exited with " + p.exitValue()
                        : Paths.redact(error.replaceFirst("^ha-sim: ", "")) + " (bin/ha-sim " + scenario
                                + " shows the values)");
            }
            if (json) {
                out.println(result.trim());
            } else {
                print(new ObjectMapper().readTree(result), out, !noFormat);
            }
        } finally {
            stdout.delete();
            stderr.delete();
        }
        return null;
    }

    private static Path simulatorJar() throws IOException {
        Path tools = Path.of(System.getProperty("karaf.home", "."), "lib", "tools");
        if (Files.isDirectory(tools)) {
            try (Stream<Path> jars = Files.list(tools)) {
                List<Path> found = jars.filter(p -> p.getFileName().toString().matches("ha-sim-.*-all\\.jar")).sorted()
                        .toList();
                if (!found.isEmpty()) {
                    return found.get(found.size() - 1);
                }
            }
        }
        throw new IllegalStateException("ha:simulate needs the simulator jar lib/tools/ha-sim-*-all.jar of the vmha "
                + "distribution, and " + tools + " has none");
    }

    private static void print(JsonNode result, PrintStream out, boolean format) {
        ShellTable vms = new ShellTable().emptyTableText("no VM");
        vms.column("VM");
        vms.column("Host");
        vms.column("State");
        vms.column("Restarts").alignRight();
        vms.column("Resumed from checkpoint").alignRight();
        for (JsonNode vm : result.path("vms")) {
            JsonNode resumed = vm.path("resumedFromCheckpoint");
            vms.addRow().addContent(HaCommandSupport.cells(vm.path("name").asText(), vm.path("host").asText("-"), vm.path("state").asText(),
                    vm.path("restarts").asText(), resumed.isMissingNode() || resumed.isNull() ? "-" : resumed.asText()));
        }
        vms.print(out, format);
        ShellTable hosts = new ShellTable().emptyTableText("no host");
        hosts.column("Host");
        hosts.column("State");
        for (JsonNode host : result.path("hosts")) {
            hosts.addRow().addContent(HaCommandSupport.cells(host.path("name").asText(), host.path("state").asText()));
        }
        out.println();
        hosts.print(out, format);
        List<String> violations = new ArrayList<>();
        for (JsonNode v : result.path("violations")) {
            violations.add(v.path("at").asText() + " ms " + v.path("invariant").asText() + " " + v.path("vm").asText()
                    + ": " + v.path("detail").asText());
        }
        out.println();
        out.println(result.path("events").size() + " events; " + (violations.isEmpty() ? "no invariant violated"
                : violations.size() + " invariant violation(s):"));
        violations.forEach(out::println);
    }
}
