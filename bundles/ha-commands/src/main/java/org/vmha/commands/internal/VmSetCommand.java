/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.vmha.api.command.request.SetRequest;
import org.vmha.api.command.reply.VmResult;

/**
 * The {@link VmSetCommand} is responsible for {@code ha:vm-set}: a VM's restart priority, protection, pinned
 * alternate host and isolation response.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "vm-set", description = "Changes a VM's HA settings: restart priority, protection, "
        + "pinned alternate host, isolation response")
public class VmSetCommand extends HaCommandSupport {

    @Argument(index = 0, name = "vm", required = true, description = "The VM (name or lun)")
    @Completion(VmNameCompleter.class)
    String vm;

    @Option(name = "--priority", description = "Restart priority: lowest, low, medium, high, highest (disabled: HA off)")
    @Completion(value = StringsCompleter.class, values = {"lowest", "low", "medium", "high", "highest", "disabled"})
    String priority;

    @Option(name = "--ha", description = "on: protect the VM (restores its priority), off: HA does not restart it")
    @Completion(value = StringsCompleter.class, values = {"on", "off"})
    String ha;

    @Option(name = "--alternate", description = "Pin this host as the VM's alternate; none: unpin")
    @Completion(HostNameCompleter.class)
    String alternate;

    @Option(name = "--isolation-response", description = "What the VM's host does with it when isolated: "
            + "leave-powered-on, power-off, shutdown; cluster: the cluster's setting")
    @Completion(value = StringsCompleter.class, values = {"leave-powered-on", "power-off", "shutdown", "cluster"})
    String isolationResponse;

    @Override
    protected Object doExecute() throws Exception {
        String alt = alternate == null ? null : alternate.equalsIgnoreCase("none") ? SetRequest.UNPIN : alternate;
        VmResult r = call("set", () -> new SetRequest(vm, priority, protect(ha), alt, isolationResponse),
                VmResult.class);
        out().println("VM " + text(r.vm()) + ": priority " + text(r.priority()) + ", alternate "
                + text(r.alternate()) + ", isolation response " + text(r.isolationResponse()) + ", "
                + text(r.state()) + " on " + text(r.host()));
        return null;
    }

    /** @return the {@code --ha} value as the request's {@code protect}: null when not given */
    private static Boolean protect(String ha) {
        if (ha == null) {
            return null;
        }
        String v = ha.toLowerCase(Locale.ROOT);
        if (!v.equals("on") && !v.equals("off")) {
            throw new IllegalArgumentException("--ha must be on or off, got '" + ha + "'");
        }
        return v.equals("on");
    }
}
