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
import org.vmha.api.command.request.MigrateRequest;
import org.vmha.api.command.reply.VmResult;

/**
 * The {@link VmMigrateCommand} is responsible for {@code ha:vm-migrate}: an admission-checked migration; the
 * source checkpoints and releases the VM, the destination resumes it from that checkpoint.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "vm-migrate", description = "Migrates a running VM to another host, admission-"
        + "checked; it resumes there from the checkpoint taken on leaving")
public class VmMigrateCommand extends HaCommandSupport {

    @Argument(index = 0, name = "vm", required = true, description = "The VM (name or lun)")
    @Completion(VmNameCompleter.class)
    String vm;

    @Argument(index = 1, name = "host", required = true, description = "The destination host")
    @Completion(HostNameCompleter.class)
    String host;

    @Override
    protected Object doExecute() throws Exception {
        VmResult r = call("migrate", () -> new MigrateRequest(vm, host), VmResult.class);
        out().println("VM " + text(r.vm()) + " is MIGRATING from " + text(r.host()) + " to " + text(r.destination())
                + " (ha:events --type vm.migrated)");
        return null;
    }
}
