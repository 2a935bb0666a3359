/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

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
    public Object execute() throws Exception {
        Map<String, Object> r = call("migrate", Map.of("vm", vm, "host", host));
        out().println("VM " + text(r.get("vm")) + " is MIGRATING from " + text(r.get("host")) + " to " + text(r.get("destination"))
                + " (ha:events --type vm.migrated)");
        return null;
    }
}
