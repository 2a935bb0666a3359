/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.Map;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.vmha.api.command.request.HostAddRequest;
import org.vmha.api.command.reply.HostSummary;

/**
 * The {@link HostAddCommand} is responsible for {@code ha:host-add}: registers a host with the management
 * service; it takes VMs once its agent's heartbeats arrive.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "host-add", description = "Adds a host to the cluster; it counts once its agent's "
        + "heartbeats arrive (etc/org.vmha.agent-<host>.cfg on that node)")
public class HostAddCommand extends HaCommandSupport {

    @Argument(index = 0, name = "host", required = true, description = "The host name")
    String host;

    @Option(name = "--capacity", required = true, description = "What it offers, e.g. cpuMhz=16000,memoryMb=16384")
    String capacity;

    @Override
    protected Object doExecute() throws Exception {
        HostSummary r = call("host-add", () -> new HostAddRequest(host, parse(capacity)), HostSummary.class);
        out().println("Host " + text(r.host()) + " added with " + Readable.amounts(r.capacity()) + "; " + text(r.state())
                + " until its agent is heard");
        return null;
    }

    static Map<String, Long> parse(String capacity) {
        Map<String, Long> out = new TreeMap<>();
        for (String part : capacity.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("--capacity: '" + part.trim() + "' is not name=amount, e.g. "
                        + "cpuMhz=16000,memoryMb=16384");
            }
            try {
                out.put(kv[0].trim(), Long.parseLong(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--capacity: amount of " + kv[0].trim() + " is not a whole number: '"
                        + kv[1].trim() + "'");
            }
        }
        return out;
    }
}
