/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link CommandHandler} is responsible for one NOC command (for example {@code status} or {@code power-on}).
 * Bundles register handlers as OSGi services; the messaging layer dispatches each request on
 * {@code ha.commands} to the handler of that name and sends its result, or its error, to the requester.
 * <p>
 * Threading: {@link #handle(Map)} is called on a messaging thread, one request at a time per handler; it may
 * block briefly (an admission decision, a storage read) but must not wait for other messages.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@ConsumerType
public interface CommandHandler {

    /**
     * @return the command name, lower-case with dashes, unique among the registered handlers
     */
    String name();

    /**
     * Runs the command.
     *
     * @param args the request's {@code args} object as JSON-compatible values (strings, numbers, booleans,
     *        lists, maps, null); never {@code null}
     * @return the result as a JSON-compatible map
     * @throws CommandException with a code naming what was wrong (an unknown VM, a refused operation, …)
     */
    Map<String, Object> handle(Map<String, Object> args);
}
