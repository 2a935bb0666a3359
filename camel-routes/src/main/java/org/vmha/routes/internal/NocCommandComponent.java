/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import org.apache.camel.CamelContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmha.api.command.CommandHandler;
import org.vmha.core.command.CommandDispatcher;

/**
 * The {@link NocCommandComponent} is responsible for the NOC command endpoint: it adds the
 * {@link CommandRoutes} to the node's vmha CamelContext and keeps the dispatcher in step with the
 * {@link CommandHandler} services that bundles register (whiteboard).
 *
 * @author vmha - Initial contribution
 */
@Component(immediate = true, service = {}, configurationPid = NocCommandConfiguration.PID)
@Designate(ocd = NocCommandConfiguration.class)
public final class NocCommandComponent {

    private final Logger logger = LoggerFactory.getLogger(NocCommandComponent.class);
    private final CommandDispatcher dispatcher = new CommandDispatcher(
            (command, e) -> logger.error("NOC command '{}' failed", command, e));
    private final CamelContext camel;
    private final boolean enabled;

    @Activate
    public NocCommandComponent(@Reference(target = "(camel.context.name=vmha)") CamelContext camel,
            NocCommandConfiguration config) throws Exception {
        this.camel = camel;
        this.enabled = config.enabled();
        int max = config.maxRequestBytes();
        if (max < 256 || max > 16_777_216) {
            logger.error("Invalid configuration {}: maxRequestBytes={} is outside 256..16777216; using {}",
                    NocCommandConfiguration.PID, max, NocCommandConfiguration.DEFAULT_MAX_REQUEST_BYTES);
            max = NocCommandConfiguration.DEFAULT_MAX_REQUEST_BYTES;
        }
        dispatcher.expect(org.vmha.api.command.CommandNames.MANAGEMENT,
                "the management service (component org.vmha.management, feature ha-management)");
        if (enabled) {
            Addresses addresses = Addresses.jms();
            camel.addRoutes(new CommandRoutes(addresses.commands(), addresses.deadLetter(), dispatcher, max));
            logger.info("vmha NOC commands served on this node (largest request {} bytes)", max);
        } else {
            logger.info("vmha NOC commands are not served on this node ({}: enabled=false)", NocCommandConfiguration.PID);
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        if (enabled && camel.getRoute("vmha.commands") != null) {
            camel.getRouteController().stopRoute("vmha.commands");
            camel.removeRoute("vmha.commands");
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCommandHandler(CommandHandler handler) {
        dispatcher.register(handler);
    }

    void removeCommandHandler(CommandHandler handler) {
        dispatcher.unregister(handler);
    }
}
