/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event;

import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link EventHistory} is responsible for the recent events this node received on {@code ha.events}
 * (from every node of the cluster, not only its own), for {@code ha:events} and the NOC.
 * <p>
 * <b>Threading:</b> thread-safe; followers are called on the thread that received the event and must not
 * block.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ProviderType
public interface EventHistory {

    /**
     * @param max at most this many, the newest ones
     * @param type a type filter: an exact type ({@code org.vmha.vm.restarted}), a prefix ending at a dot
     *        ({@code org.vmha.host}), either without {@code org.vmha.} ({@code vm.restarted}); null for all
     * @return matching events, oldest first
     */
    List<CloudEvent> recent(int max, String type);

    /**
     * @param type a type filter as for {@link #recent}, null for all
     * @param listener called with each matching event received from now on
     * @return closing it stops the calls
     */
    AutoCloseable follow(String type, Consumer<CloudEvent> listener);

    /** @return how many events were received since the node started */
    long received();
}
