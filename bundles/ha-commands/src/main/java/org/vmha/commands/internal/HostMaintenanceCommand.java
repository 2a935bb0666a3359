/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.Locale;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.vmha.api.command.request.MaintenanceRequest;
import org.vmha.api.command.reply.MaintenanceResult;

/**
 * The {@link HostMaintenanceCommand} is responsible for {@code ha:host-maintenance}: in maintenance a host gets
 * no power-ons, migrations or alternates, and its running VMs migrate away.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "host-maintenance", description = "Puts a host in (on) or out of (off) maintenance "
        + "mode; entering migrates its running VMs away")
public class HostMaintenanceCommand extends HaCommandSupport {

    @Argument(index = 0, name = "host", required = true, description = "The host")
    @Completion(HostNameCompleter.class)
    String host;

    @Argument(index = 1, name = "mode", required = true, description = "on or off")
    @Completion(value = StringsCompleter.class, values = {"on", "off"})
    String mode;

    @Override
    protected Object doExecute() throws Exception {
        String m = mode.toLowerCase(Locale.ROOT);
        MaintenanceResult r = call("maintenance", () -> {
            if (!m.equals("on") && !m.equals("off")) {
                throw new IllegalArgumentException("mode must be on or off, got '" + mode + "'");
            }
            return new MaintenanceRequest(host, m.equals("on"));
        }, MaintenanceResult.class);
        Map<String, String> migrating = r.migrating();
        Map<String, String> stayed = r.stayed();
        out().println("Host " + text(host) + (m.equals("on") ? " is in maintenance mode" : " left maintenance mode")
                + (migrating.isEmpty() ? "" : "; migrating " + text(moves(migrating))));
        stayed.forEach((vm, why) -> out().println("  " + text(vm) + " stays: " + text(why)));
        return null;
    }

    /** @return {@code VM1 to H2, VM3 to H4}, in the result's order */
    private static String moves(Map<String, String> migrating) {
        java.util.List<String> out = new java.util.ArrayList<>();
        migrating.forEach((vm, to) -> out.add(vm + " to " + to));
        return String.join(", ", out);
    }
}
