/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.guard;

import java.util.function.Supplier;

/**
 * The {@link DirectGuard} is responsible for calling adapter code inline on the caller's thread. It is
 * for adapters that cannot hang (the in-memory storage, the simulated hypervisor under a virtual
 * clock), where the simulator needs calls to run deterministically in order. Real deployments use
 * {@link TimeoutGuard}.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class DirectGuard implements AdapterGuard {

    @Override
    public <T> T call(String adapter, String operation, String subject, Supplier<T> call) {
        return call.get();
    }
}
