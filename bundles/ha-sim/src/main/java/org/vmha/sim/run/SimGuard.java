/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

import java.util.function.Supplier;

import org.vmha.core.guard.AdapterCallException;
import org.vmha.core.guard.AdapterGuard;

/**
 * The {@link SimGuard} is responsible for one simulated agent's adapter calls, standing in for the
 * product's {@link org.vmha.core.guard.TimeoutGuard} in virtual time. Outside a {@code storage-hang} of
 * the host it calls inline, as {@link org.vmha.core.guard.DirectGuard} does. During a hang, a storage call
 * (adapter name {@code storage ...}) blocks the agent thread until the hang ends or for the adapter timeout,
 * whichever is first: in the first case it then completes, in the second it fails with an
 * {@link AdapterCallException} worded as the timeout guard's. The blocking time stalls the agent through
 * its {@link AgentRuntime}; the call's "real" start is the task's start plus what its earlier hung calls
 * blocked. Hypervisor calls are not affected.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
final class SimGuard implements AdapterGuard {

    private final SwitchableStorage storage;
    private final AgentRuntime runtime;
    private final long timeoutMillis;
    private long timedOut;

    /**
     * @param storage the host's datastore path (its hang window)
     * @param runtime the agent's thread
     * @param timeoutMillis the adapter call timeout
     */
    SimGuard(SwitchableStorage storage, AgentRuntime runtime, long timeoutMillis) {
        this.storage = storage;
        this.runtime = runtime;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public <T> T call(String adapter, String operation, String subject, Supplier<T> call) {
        if (adapter.startsWith("storage ")) {
            long at = runtime.effectiveNow();
            long hangEnds = storage.hangUntil();
            if (at < hangEnds) {
                long blocked = Math.min(hangEnds - at, timeoutMillis);
                runtime.stall(blocked);
                if (blocked == timeoutMillis) {
                    timedOut++;
                    throw new AdapterCallException(adapter + " " + operation + "(" + subject + ") did not return within "
                            + timeoutMillis + " ms (simulated storage-hang)", null);
                }
                // the hang ended while the call waited: it completes, with the task's effects at its start time
            }
        }
        return call.get();
    }

    /** @return storage calls that timed out so far */
    long timedOut() {
        return timedOut;
    }
}
