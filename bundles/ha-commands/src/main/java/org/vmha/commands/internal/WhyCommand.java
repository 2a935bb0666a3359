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
import org.vmha.api.command.request.VmRequest;
import org.vmha.api.command.reply.Explanation;

/**
 * The {@link WhyCommand} is responsible for {@code ha:why}: why a VM is where it is, or why it does not run,
 * in sentences: its state, its alternate and how it was chosen, what would happen if its host failed now,
 * and the last admission refusal.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "why", description = "Explains why a VM is where it is, or why it was not restarted")
public class WhyCommand extends HaCommandSupport {

    @Argument(index = 0, name = "vm", required = true, description = "The VM (name or lun)")
    @Completion(VmNameCompleter.class)
    String vm;

    @Option(name = "--json", description = "Print the explanation as JSON, for scripts")
    boolean json;

    @Override
    public Object execute() throws Exception {
        Explanation r = call("why", new VmRequest(vm), Explanation.class);
        if (json) {
            printJson(r);
            return null;
        }
        for (String line : r.reasons()) {
            out().println(text(line));
        }
        return null;
    }
}
