/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link HeartbeatRecord} is responsible for carrying a host's latest datastore heartbeat.
 *
 * @param host the host
 * @param sequence the host's heartbeat sequence number
 * @param timeMillis when it was written (writer's adapter clock, epoch ms)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HeartbeatRecord(String host, long sequence, long timeMillis) {

    public HeartbeatRecord {
        StorageNames.require("host", host);
    }
}
