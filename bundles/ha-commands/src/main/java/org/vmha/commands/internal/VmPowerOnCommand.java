/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;


import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.vmha.api.command.request.PowerOnRequest;
import org.vmha.api.command.reply.VmResult;

/**
 * The {@link VmPowerOnCommand} is responsible for {@code ha:vm-power-on}: an admission-checked power-on,
 * registered with HA; the chosen host's agent boots the VM under a new lease.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "vm-power-on", description = "Powers a VM on, admission-checked: on the given host "
        + "or on the connected host with the most free memory")
public class VmPowerOnCommand extends HaCommandSupport {

    @Argument(index = 0, name = "vm", required = true, description = "The VM (name or lun)")
    @Completion(VmNameCompleter.class)
    String vm;

    @Option(name = "--host", description = "The host to start it on (default: the service chooses)")
    @Completion(HostNameCompleter.class)
    String host;

    @Override
    protected Object doExecute() throws Exception {
        VmResult r = call("power-on", () -> new PowerOnRequest(vm, host), VmResult.class);
        out().println("VM " + text(r.vm()) + " is " + text(r.state()) + " on " + text(r.host())
                + "; its agent boots it under a new lease (ha:events --type vm.powered-on)");
        return null;
    }
}
