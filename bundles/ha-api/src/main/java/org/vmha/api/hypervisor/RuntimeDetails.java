/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.hypervisor;

/**
 * The {@link RuntimeDetails} is responsible for what a real hypervisor adds to a {@link RunningVm} for operators: the
 * process that runs the VM, how it would come back after a failure, how it started, and its latest checkpoint with
 * the guest's pause for it. A simulated hypervisor reports {@link #NONE}.
 *
 * @param processId the operating-system process running the VM, or -1 if there is none of its own
 * @param restartMode {@code resume} or {@code cold} (see {@link org.vmha.api.model.RestartMode}), or null if the
 *        adapter does not know
 * @param checkpointSequence the sequence of the latest complete checkpoint this VM wrote since it started, or -1
 * @param checkpointAtMillis when that checkpoint was committed (the adapter's clock), or -1
 * @param checkpointPauseMillis how long the guest was paused for that checkpoint, or -1
 * @param startNote how the VM started, in one sentence for people (for example {@code resumed from checkpoint 7},
 *        {@code resumed from checkpoint 6: checkpoint 7 is corrupt (checksum mismatch)} or
 *        {@code cold boot: no complete checkpoint}), or null
 * @author vmha - Initial contribution
 * @since 0.2
 */
public record RuntimeDetails(long processId, String restartMode, long checkpointSequence, long checkpointAtMillis,
        long checkpointPauseMillis, String startNote) {

    /** Nothing beyond what {@link RunningVm} says. */
    public static final RuntimeDetails NONE = new RuntimeDetails(-1, null, -1, -1, -1, null);

    /** @return true if the VM wrote a checkpoint since it started */
    public boolean hasCheckpoint() {
        return checkpointSequence >= 0;
    }
}
