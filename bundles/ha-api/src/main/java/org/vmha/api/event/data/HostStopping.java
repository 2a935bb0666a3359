/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.event.data;

import java.util.List;

import org.vmha.api.event.EventTypes;

/**
 * The {@link HostStopping} is the {@code data} of {@link EventTypes#HOST_STOPPING}: a host stops as planned and hands
 * its VMs to the survivors. Its components are the JSON fields, in their wire order.
 *
 * @param host the stopping host
 * @param vms the VMs it runs and hands over, by name, sorted
 * @param handOver what becomes of them: {@code survivors} (powered off at their latest checkpoint, leases given
 *        back, resumed by the survivors at once) or {@code with-node} (every host of this node stops together: they
 *        stay on their hosts and are resumed there when the node starts)
 * @param reason why it stops ({@code planned stop})
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record HostStopping(String host, List<String> vms, String handOver, String reason) implements EventData {

    /** The event type whose data this is. */
    public static final String TYPE = EventTypes.HOST_STOPPING;
}
