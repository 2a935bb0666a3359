/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;


import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.vmha.api.command.request.HostRequest;
import org.vmha.api.command.reply.HostSummary;

/**
 * The {@link HostRemoveCommand} is responsible for {@code ha:host-remove}: removes a host that runs no VM
 * (or that failed) from the cluster.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "host-remove", description = "Removes a host that runs no VM (put it in maintenance "
        + "mode first) or that failed")
public class HostRemoveCommand extends HaCommandSupport {

    @Argument(index = 0, name = "host", required = true, description = "The host")
    @Completion(HostNameCompleter.class)
    String host;

    @Override
    protected Object doExecute() throws Exception {
        HostSummary r = call("host-remove", () -> new HostRequest(host), HostSummary.class);
        out().println("Host " + text(r.host()) + " removed from the cluster");
        return null;
    }
}
