/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;


import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vmha.api.command.request.WhatIfRequest;

/**
 * The {@link AdmissionCommand} is responsible for {@code ha:admission}: the admission policy's report for the
 * live cluster, in the ha-plan report format, with what each single host's failure would do now.
 *
 * @author vmha - Initial contribution
 */
@Service
@Command(scope = "ha", name = "admission", description = "Shows the admission policy's report for the live cluster "
        + "(the ha-plan report format)")
public class AdmissionCommand extends HaCommandSupport {

    @Option(name = "--json", description = "Print the report as JSON (the ha-plan report format)")
    boolean json;

    @Option(name = "--no-format", description = "Disable table rendered output (tab-separated)")
    boolean noFormat;

    @Override
    protected Object doExecute() throws Exception {
        ObjectNode r = call("what-if", new WhatIfRequest(null), ObjectNode.class);
        if (json) {
            printJson(r);
        } else {
            new PlanView(r).print(out(), !noFormat);
        }
        return null;
    }
}
