/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventPublisher;

/**
 * The NOC throughput figures of BENCHMARKS.md, on the real distribution (not part of {@code verify}: the
 * name does not end in IT). Run on demand:
 * {@code mvn -B -pl itests/distribution verify -Dit.test=NocThroughputBenchmark}; it prints {@code MEASURED}
 * lines.
 * <ul>
 * <li>events per second from the in-process {@link EventPublisher} through the publish route and the broker
 * to an external MQTT subscriber ({@code mosquitto_sub}), with the event log route consuming the same
 * address;</li>
 * <li>command round trip (request on {@code ha.commands}, reply on the requester's queue) for {@code why} and
 * {@code status}, p50 and p99.</li>
 * </ul>
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NocThroughputBenchmark extends VmhaTestSupport {

    private static final String PROBE = "org.vmha.benchmark.probe";
    private static final int EVENTS = 20_000;
    private static final int WARMUP = 2_000;
    private static final int REQUESTS = 2_000;

    @Test
    public void eventsToAnMqttSubscriberAndCommandRoundTrips() throws Exception {
        EventPublisher publisher = getOsgiService(EventPublisher.class, TIMEOUT.toMillis());
        // the simulated cluster is up (its commands answer) before anything is measured
        try (JmsRequestor noc = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
            await().atMost(180, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).until(() -> {
                String r = noc.request("{\"command\":\"status\"}", TIMEOUT);
                return r != null && r.contains("\"connected\":4");
            });
        }
        try (ExternalProcess sub = ExternalProcess.start("stdbuf", "-oL", "mosquitto_sub", "-d", "-h", "127.0.0.1",
                "-p", Integer.toString(mqttPort()), "-u", "noc", "-P", Credentials.ofThisContainer().noc(), "-t", "ha/events", "-W", "600")) {
            await().atMost(TIMEOUT.toSeconds(), TimeUnit.SECONDS).until(() -> sub.output().contains("received SUBACK"));
            publish(publisher, WARMUP, "w");
            Scanner warm = new Scanner(sub, "\"subject\":\"w" + (WARMUP - 1) + "\"");
            await().atMost(120, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS).until(warm::found);
            int before = sub.lines().size();
            long t0 = System.nanoTime();
            publish(publisher, EVENTS, "m");
            long published = System.nanoTime();
            Scanner last = new Scanner(sub, "\"subject\":\"m" + (EVENTS - 1) + "\"");
            await().atMost(300, TimeUnit.SECONDS).pollInterval(5, TimeUnit.MILLISECONDS).until(last::found);
            long t1 = System.nanoTime();
            long received = sub.lines().subList(before, sub.lines().size()).stream()
                    .filter(l -> l.contains(PROBE) && l.contains("\"subject\":\"m")).count();
            assertEquals("events lost between the routes and mosquitto_sub", EVENTS, received);
            System.out.printf("MEASURED events to mosquitto_sub: %d events in %.3f s = %.0f events/s "
                    + "(publisher side: %.0f events/s)%n", EVENTS, (t1 - t0) / 1e9, EVENTS / ((t1 - t0) / 1e9),
                    EVENTS / ((published - t0) / 1e9));
        }
        try (JmsRequestor noc = new JmsRequestor("operator", Credentials.ofThisContainer().operator())) {
            for (String request : new String[] {"{\"command\":\"why\",\"args\":{\"vm\":\"VM01\"}}",
                    "{\"command\":\"status\"}"}) {
                for (int i = 0; i < 200; i++) {
                    assertNotNull(noc.request(request, TIMEOUT));
                }
                long[] rtt = new long[REQUESTS];
                for (int i = 0; i < REQUESTS; i++) {
                    long s = System.nanoTime();
                    String reply = noc.request(request, TIMEOUT);
                    rtt[i] = System.nanoTime() - s;
                    assertTrue(reply, reply != null && reply.startsWith("{\"ok\":true"));
                }
                Arrays.sort(rtt);
                System.out.printf("MEASURED command round trip %s: %d requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        request, REQUESTS, rtt[REQUESTS / 2] / 1e6, rtt[(int) (REQUESTS * 0.99)] / 1e6,
                        rtt[REQUESTS - 1] / 1e6);
            }
        }
    }

    private static void publish(EventPublisher publisher, int n, String prefix) {
        for (int i = 0; i < n; i++) {
            publisher.publish(CloudEvent.of("/vmha/benchmark", PROBE, Instant.now(), prefix + i,
                    Map.of("seq", i)));
        }
    }

    /** Looks for a line, scanning each line of the subscriber's output once. */
    private static final class Scanner {
        private final ExternalProcess sub;
        private final String needle;
        private int next;

        Scanner(ExternalProcess sub, String needle) {
            this.sub = sub;
            this.needle = needle;
        }

        boolean found() {
            java.util.List<String> lines = sub.lines();
            int size = lines.size();
            for (; next < size; next++) {
                if (lines.get(next).contains(needle)) {
                    return true;
                }
            }
            return false;
        }
    }
}
