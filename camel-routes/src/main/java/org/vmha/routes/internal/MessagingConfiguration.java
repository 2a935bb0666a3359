/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.routes.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the messaging layer (PID {@value #PID}, file {@code etc/org.vmha.messaging.cfg}).
 *
 * @author vmha - Initial contribution
 */
@ObjectClassDefinition(id = MessagingConfiguration.PID, name = "vmha messaging",
        description = "How this node reaches the Artemis broker that carries heartbeats, tables, events and commands")
public @interface MessagingConfiguration {

    String PID = "org.vmha.messaging";

    /** Default user: the agent account shipped in etc/users.properties. */
    String DEFAULT_USERNAME = "agent";

    /** Default delay between two broker reconnection attempts, in milliseconds. */
    long DEFAULT_RECOVERY_INTERVAL_MS = 1000;

    @AttributeDefinition(name = "Broker URL", required = false,
            description = "Artemis core URL, e.g. tcp://10.0.0.5:61616. Empty: tcp://<vmha.broker.host>:<vmha.broker.port> "
                    + "from the system properties (etc/custom.system.properties), else tcp://127.0.0.1:61616")
    String brokerUrl() default "";

    @AttributeDefinition(name = "User name", description = "Broker user; needs the ha-agent role")
    String username() default DEFAULT_USERNAME;

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, description = "Broker password")
    String password() default "agent";

    @AttributeDefinition(name = "Node name", required = false,
            description = "Name of this node in event sources; empty: the karaf.name system property")
    String nodeName() default "";

    @AttributeDefinition(name = "Announce start", description = "Publish a ClusterStarted event once the broker is reachable")
    boolean announceStart() default true;

    @AttributeDefinition(name = "Recovery interval (ms)", description = "Delay between broker reconnection attempts, 100 to 60000 ms")
    long recoveryIntervalMs() default DEFAULT_RECOVERY_INTERVAL_MS;

    @AttributeDefinition(name = "Isolation address", required = false,
            description = "host:port an agent probes to tell its own network failure from a broker failure "
                    + "(vSphere's isolation address, usually the gateway); empty: the broker's host and port")
    String isolationAddress() default "";

    @AttributeDefinition(name = "Cluster key file", required = false,
            description = "The shared secret that signs heartbeats and table updates (HmacSHA256), the same file on "
                    + "every node; created with a fresh key, mode 0600, if missing. Empty: ${karaf.etc}/vmha-cluster.key")
    String clusterKeyFile() default "";

    @AttributeDefinition(name = "Probe interval (ms)",
            description = "How often the broker and the isolation address are probed in the background, 100 to 60000 ms")
    long probeIntervalMs() default 1000;
}
