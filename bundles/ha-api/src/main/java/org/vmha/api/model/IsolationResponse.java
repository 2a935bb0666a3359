/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

/**
 * The {@link IsolationResponse} is responsible for naming what an isolated host does with a VM.
 * {@link #LEAVE_POWERED_ON} keeps it running and its lease held; {@link #POWER_OFF} and
 * {@link #SHUTDOWN} stop it, release its lease and let the survivors restart it.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public enum IsolationResponse {
    LEAVE_POWERED_ON,
    POWER_OFF,
    SHUTDOWN
}
