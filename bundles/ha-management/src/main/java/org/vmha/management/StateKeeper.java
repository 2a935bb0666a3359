/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.management;

import java.util.function.Consumer;

/**
 * The {@link StateKeeper} is responsible for keeping the management service's {@link ManagementState} in its
 * {@link ManagementStateStore}: it reads it once at the start (a state that cannot be read is one line on the error
 * sink, and then ignored) and saves it whenever it changed (a failed save is reported once, until a save succeeds;
 * the service keeps running).
 * <p>
 * <b>Threading:</b> not thread-safe; runs on the management service's thread.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class StateKeeper {

    private final ManagementStateStore store;
    private final Consumer<String> errors;
    private ManagementState lastSaved;
    private boolean saveFailing;

    /**
     * @param store where the state is kept
     * @param errors takes one line for each state that could not be read or written
     */
    public StateKeeper(ManagementStateStore store, Consumer<String> errors) {
        this.store = store;
        this.errors = errors;
    }

    /** @return a keeper that keeps nothing (the simulator, the tests without a restart) */
    public static StateKeeper none() {
        return new StateKeeper(ManagementStateStore.none(), message -> {
        });
    }

    /** @return whether anything is kept at all */
    boolean keeps() {
        return store.keeps();
    }

    /** @return the kept state, null when there is none or it cannot be read (reported on the error sink) */
    ManagementState load() {
        try {
            ManagementState kept = store.load().orElse(null);
            lastSaved = kept;
            return kept;
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            errors.accept(e.getMessage() + "; starting from the inventory and the table versions heard");
            return null;
        }
    }

    /** @param now the state now: saved if it changed since the last save */
    void keep(ManagementState now) {
        if (!store.keeps() || now.equals(lastSaved)) {
            return;
        }
        try {
            store.save(now);
            lastSaved = now;
            saveFailing = false;
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            if (!saveFailing) {
                errors.accept(e.getMessage() + "; the service keeps running, a restart would not keep its latest "
                        + "changes");
            }
            saveFailing = true;
        }
    }
}
