/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.vmha.api.command.CommandException;
import org.vmha.core.command.CommandDispatcher;

/**
 * The {@link CommandRoutes} serve the NOC request/reply address {@code ha.commands}: each request goes through
 * the {@link CommandDispatcher}, and the reply goes back to the request's reply-to with its correlation id
 * (Camel's JMS request/reply). A request without a reply-to cannot be answered: it goes to the dead-letter
 * address with the reason in {@value HaRoutes#ERROR_HEADER}, unexecuted. Nothing a client sends stops the
 * route.
 *
 * @author vmha - Initial contribution
 */
public final class CommandRoutes extends RouteBuilder {

    /** Camel's name of the JMS reply-to header. */
    static final String REPLY_TO = "JMSReplyTo";

    private static final String DEAD_LETTER = "vmha_dead_letter";

    private final String commands;
    private final String deadLetter;
    private final CommandDispatcher dispatcher;
    private final int maxRequestBytes;

    /**
     * @param commands endpoint of the commands address
     * @param deadLetter endpoint of the dead-letter address
     * @param dispatcher handles each request
     * @param maxRequestBytes larger requests are refused with {@code TOO_LARGE}
     */
    public CommandRoutes(String commands, String deadLetter, CommandDispatcher dispatcher, int maxRequestBytes) {
        this.commands = commands;
        this.deadLetter = deadLetter;
        this.dispatcher = dispatcher;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void configure() {
        from(commands).routeId("vmha.commands")
                .process(this::handle)
                .filter(header(DEAD_LETTER).isNotNull())
                    .log(LoggingLevel.WARN, "org.vmha.commands", "Dead-lettering a command request: ${header."
                            + HaRoutes.ERROR_HEADER + "}")
                    .removeHeader(DEAD_LETTER)
                    .to(ExchangePattern.InOnly, deadLetter)
                .end();
    }

    private void handle(Exchange exchange) {
        Message message = exchange.getMessage();
        Object raw = message.getBody();
        String body = raw instanceof byte[] ? new String((byte[]) raw, StandardCharsets.UTF_8)
                : message.getBody(String.class);
        if (message.getHeader(REPLY_TO) == null) {
            message.setHeader(HaRoutes.ERROR_HEADER, "missing reply-to: a command request needs a reply-to "
                    + "destination (and should carry a correlation id); the request was not executed");
            message.setHeader(DEAD_LETTER, true);
            return;
        }
        int size = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        String reply = size > maxRequestBytes
                ? dispatcher.error(null, null, CommandException.TOO_LARGE, "request of " + size
                        + " bytes exceeds the limit of " + maxRequestBytes + " bytes")
                : dispatcher.dispatch(body);
        message.setBody(reply);
    }
}
