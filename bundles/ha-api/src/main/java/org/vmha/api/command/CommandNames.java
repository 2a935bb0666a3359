/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command;

import java.util.List;

/**
 * The {@link CommandNames} are responsible for naming the commands of the NOC API (and the handlers the
 * shell calls), so that the endpoint can tell an unknown command from a known one whose provider does not
 * run on this node.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class CommandNames {

    /** The commands the management service provides while it runs on the node. */
    public static final List<String> MANAGEMENT = List.of("power-on", "power-off", "migrate", "set", "host-add",
            "host-remove", "maintenance", "status", "why", "what-if");

    /** The command the admission bundle provides: the ha-plan report for an inventory. */
    public static final String PLAN = "plan";

    private CommandNames() {
    }
}
