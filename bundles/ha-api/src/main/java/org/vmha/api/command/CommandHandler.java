/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link CommandHandler} is responsible for one NOC command (for example {@code status} or {@code power-on}).
 * Bundles register handlers as OSGi services; the messaging layer binds each request's {@code args} on
 * {@code ha.commands} to the handler's request record (strictly: an unknown argument or a value of the wrong JSON
 * type is refused naming it), calls the handler, and writes what it returns as the reply's {@code result}. The
 * Karaf shell's {@code ha:*} commands build the same records and call the same handlers, so both surfaces validate
 * and answer alike.
 * <p>
 * Threading: {@link #handle} is called on a messaging or shell thread, one request at a time per caller; it may
 * block briefly (an admission decision, a storage read) but must not wait for other messages.
 *
 * @param <A> the request record ({@link org.vmha.api.command.request}); it checks its own arguments when it is
 *        made and throws {@link ArgumentException} for a missing or invalid one
 * @param <R> the result: a record of {@link org.vmha.api.command.reply}, or a JSON document the handler built
 * @author vmha - Initial contribution
 * @since 0.1
 */
@ConsumerType
public interface CommandHandler<A extends Record, R> {

    /**
     * @return the command name, lower-case with dashes, unique among the registered handlers
     */
    String name();

    /**
     * @return the record that the request's {@code args} object is bound to
     */
    Class<A> requestType();

    /**
     * Runs the command.
     *
     * @param request the bound arguments; never {@code null}
     * @return the result, written as the reply's {@code result} object
     * @throws CommandException with a code naming what was wrong (an unknown VM, a refused operation, …)
     */
    R handle(A request);
}
