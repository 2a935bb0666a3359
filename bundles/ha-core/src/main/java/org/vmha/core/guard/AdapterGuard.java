/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.guard;

import java.util.function.Supplier;

/**
 * The {@link AdapterGuard} is responsible for calling adapter code (hypervisor, storage) on behalf of
 * an agent such that a hung or failing adapter cannot hang or kill the agent. Failures come back as
 * {@link AdapterCallException}s naming the adapter, the call and the VM.
 * <p>
 * <b>Threading:</b> thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
@org.osgi.annotation.versioning.ProviderType
public interface AdapterGuard {

    /**
     * Calls adapter code.
     *
     * @param <T> result type
     * @param adapter which adapter, e.g. {@code hypervisor sim@H1}
     * @param operation the call, e.g. {@code start}
     * @param subject the VM (lun) or host concerned
     * @param call the call
     * @return its result
     * @throws AdapterCallException on timeout, rejection or when the call threw a non-runtime error;
     *         runtime exceptions of the adapter (typed SPI exceptions) propagate unchanged
     */
    <T> T call(String adapter, String operation, String subject, Supplier<T> call);

    /**
     * Calls adapter code that returns nothing.
     *
     * @param adapter which adapter
     * @param operation the call
     * @param subject the VM (lun) or host concerned
     * @param call the call
     */
    default void run(String adapter, String operation, String subject, Runnable call) {
        call(adapter, operation, subject, () -> {
            call.run();
            return null;
        });
    }
}
