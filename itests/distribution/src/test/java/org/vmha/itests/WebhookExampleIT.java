/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventPublisher;

/**
 * A site adds an output without changing vmha: it installs the example webhook feature, configures a URL, and
 * every event on ha.events is POSTed to its receiver.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebhookExampleIT extends VmhaTestSupport {

    @Test
    public void eventsReachALocalWebhook() throws Exception {
        featureService.installFeature("ha-example-webhook");
        try (HttpReceiver receiver = new HttpReceiver()) {
            Configuration config = configurationAdmin.getConfiguration("org.vmha.example.webhook", null);
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("url", receiver.url("/vmha"));
            props.put("types", "org.vmha.itest.");
            props.put("password", Credentials.ofThisContainer().noc());
            config.update(props);

            EventPublisher publisher = getOsgiService(EventPublisher.class, TIMEOUT.toMillis());
            CloudEvent event = CloudEvent.of("/itest", "org.vmha.itest.webhook", Instant.now(), "VM9", Map.of("n", 9));
            // the forwarder subscribes a moment after its configuration arrives: publish until one gets through
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
                publisher.publish(event);
                return !receiver.bodies().isEmpty();
            });
            String body = receiver.bodies().get(0);
            assertTrue(body, body.contains("\"id\":\"" + event.id() + "\"") && body.contains("\"subject\":\"VM9\""));
            assertTrue("a filtered-out type was forwarded: " + receiver.bodies(),
                    receiver.bodies().stream().noneMatch(b -> b.contains("org.vmha.cluster.started")));
        }
    }
}
