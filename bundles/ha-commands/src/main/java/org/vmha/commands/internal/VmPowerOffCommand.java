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
import org.vmha.api.command.request.VmRequest;
import org.vmha.api.command.reply.VmResult;

/**
 * The {@link VmPowerOffCommand} is responsible for {@code ha:vm-power-off}: the VM's agent stops it and
 * releases its lease; HA no longer restarts it.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "vm-power-off", description = "Powers a VM off; its agent stops it and releases "
        + "its lease, and HA no longer restarts it")
public class VmPowerOffCommand extends HaCommandSupport {

    @Argument(index = 0, name = "vm", required = true, description = "The VM (name or lun)")
    @Completion(VmNameCompleter.class)
    String vm;

    @Override
    protected Object doExecute() throws Exception {
        VmResult r = call("power-off", () -> new VmRequest(vm), VmResult.class);
        out().println("VM " + text(r.vm()) + " is " + text(r.state()) + (r.host() == null ? ""
                : "; " + text(r.host()) + " stops it and releases its lease"));
        return null;
    }
}
