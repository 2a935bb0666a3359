/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.transport;

/**
 * The {@link PeerView} is responsible for what one agent knows of one peer at a moment: its status and how
 * long ago each channel last brought a new heartbeat (for {@code ha:hosts}).
 *
 * @param peer the peer host
 * @param status its status now
 * @param networkAgeMillis time since its last new network heartbeat (or since it became known)
 * @param datastoreAgeMillis time since its last new datastore heartbeat (or since it became known)
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record PeerView(String peer, PeerStatus status, long networkAgeMillis, long datastoreAgeMillis) {
}
