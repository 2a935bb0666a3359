/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.model;

import java.util.Objects;

/**
 * The {@link VmState} is responsible for a VM's lifecycle state in the failover table. The family is
 * closed; the JSON form is {@code {"kind":"RUNNING"}} plus the record's own fields
 * ({@code source}/{@code dest} or {@code reason}).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public sealed interface VmState {

    /** Powered off by the user; needs no capacity. */
    PoweredOff POWERED_OFF = new PoweredOff();
    /** Being started. */
    Starting STARTING = new Starting();
    /** Running on its current host. */
    Running RUNNING = new Running();
    /** Being restarted after its host failed. */
    FailingOver FAILING_OVER = new FailingOver();

    /**
     * @return the state's stable upper-case name, for example {@code RESTART_PENDING}
     */
    String kind();

    /**
     * @return true when the VM holds (or is about to hold) its reservation on a host; only such VMs
     *         need restart capacity when their host fails
     */
    default boolean consumesCapacity() {
        return !(this instanceof PoweredOff || this instanceof Failed);
    }

    /**
     * Powered off by the user.
     *
     * @author vmha - Initial contribution
     */
    record PoweredOff() implements VmState {
        @Override
        public String kind() {
            return "POWERED_OFF";
        }
    }

    /**
     * Being started.
     *
     * @author vmha - Initial contribution
     */
    record Starting() implements VmState {
        @Override
        public String kind() {
            return "STARTING";
        }
    }

    /**
     * Running on its current host.
     *
     * @author vmha - Initial contribution
     */
    record Running() implements VmState {
        @Override
        public String kind() {
            return "RUNNING";
        }
    }

    /**
     * Migrating between two hosts; its current host stays the source until the move completes.
     *
     * @param source the host it leaves
     * @param dest the host it moves to
     * @author vmha - Initial contribution
     */
    record Migrating(String source, String dest) implements VmState {
        public Migrating {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(dest, "dest");
        }

        @Override
        public String kind() {
            return "MIGRATING";
        }
    }

    /**
     * Being restarted after a host failure.
     *
     * @author vmha - Initial contribution
     */
    record FailingOver() implements VmState {
        @Override
        public String kind() {
            return "FAILING_OVER";
        }
    }

    /**
     * Waiting for capacity to be restarted.
     *
     * @param reason why it is not running, for operators
     * @author vmha - Initial contribution
     */
    record RestartPending(String reason) implements VmState {
        public RestartPending {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String kind() {
            return "RESTART_PENDING";
        }
    }

    /**
     * Failed for good (for example its volume is unreadable); HA does not retry it.
     *
     * @param reason why
     * @author vmha - Initial contribution
     */
    record Failed(String reason) implements VmState {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String kind() {
            return "FAILED";
        }
    }
}
