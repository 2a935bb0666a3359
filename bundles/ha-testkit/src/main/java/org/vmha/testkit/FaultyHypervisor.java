/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.testkit;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.vmha.api.hypervisor.HypervisorAdapter;
import org.vmha.api.hypervisor.HypervisorException;
import org.vmha.api.hypervisor.RunningVm;
import org.vmha.api.hypervisor.StartRequest;
import org.vmha.api.storage.CheckpointInfo;
import org.vmha.api.time.TaskScheduler;

/**
 * The {@link FaultyHypervisor} is responsible for the hypervisor faults that tests and the simulator inject
 * into one host's {@link HypervisorAdapter}, which it wraps:
 * <ul>
 * <li><b>armed failures</b> ({@link Faults}, the simulator's {@code hypervisor-fail}): the next {@code count}
 * calls of an operation ({@link #START}, {@link #POWER_OFF}, {@link #SHUTDOWN}, {@link #CHECKPOINT}) throw a
 * {@link HypervisorException} <em>without touching the VM</em> (a failed power-off leaves it running), and the
 * {@link Observer} is told of each one first. The {@link Faults} may outlive the wrapper: the simulator keeps
 * one per host across power cycles and wraps each new hypervisor with it;</li>
 * <li><b>starts that fail but run</b> ({@link #startsRunButFail}): the start reaches the wrapped adapter, the
 * VM runs, and then the call throws what the test gives (e.g. a timeout guard's exception), as a start that
 * timed out but completed anyway;</li>
 * <li><b>slow guest shutdowns</b> ({@link #guestShutdownTakes}): a guest shutdown returns at once and the guest
 * goes down some time later, or never.</li>
 * </ul>
 * An armed failure is checked before anything else and wins; everything not switched on goes straight to the
 * wrapped adapter, so with nothing armed the wrapper changes nothing. {@link #calls(String)} counts the calls
 * of each operation, failed ones included.
 * <p>
 * <b>Threading:</b> not thread-safe; meant for the simulator's single thread and for tests on a
 * {@link VirtualScheduler}.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class FaultyHypervisor extends DelegatingHypervisor {

    /** The operation {@link #start(StartRequest)}. */
    public static final String START = "start";
    /** The operation {@link #powerOff(String)}. */
    public static final String POWER_OFF = "power-off";
    /** The operation {@link #shutdownGuest(String)}. */
    public static final String SHUTDOWN = "shutdown";
    /** The operation {@link #checkpoint(String, long)}. */
    public static final String CHECKPOINT = "checkpoint";
    /** For {@link #guestShutdownTakes}: the guest ignores every shutdown request. */
    public static final long NEVER = -1;

    /** Observes an armed failure as it is injected. */
    @FunctionalInterface
    public interface Observer {
        /**
         * @param host the host
         * @param op the operation that failed
         * @param lun the VM's volume
         * @param left failures of that operation still to come
         */
        void failed(String host, String op, String lun, int left);
    }

    /**
     * The failures still to come on one host, by operation.
     * <p>
     * <b>Threading:</b> not thread-safe.
     */
    public static final class Faults {
        private final Map<String, Integer> next = new TreeMap<>();

        /**
         * Arms failures; they add to those already armed for the operation (capped at {@link Integer#MAX_VALUE}).
         *
         * @param op the operation, one of {@link #START}, {@link #POWER_OFF}, {@link #SHUTDOWN}, {@link #CHECKPOINT}
         *        (any other is kept but never taken)
         * @param count how many more of its calls fail
         */
        public void arm(String op, int count) {
            next.merge(op, count, (a, b) -> (int) Math.min(Integer.MAX_VALUE, (long) a + b));
        }

        /**
         * @param op the operation being called
         * @return failures left of the operation after taking one, or -1 if none was armed
         */
        public int take(String op) {
            Integer n = next.get(op);
            if (n == null) {
                return -1;
            }
            if (n == 1) {
                next.remove(op);
            } else {
                next.put(op, n - 1);
            }
            return n - 1;
        }
    }

    private final Faults faults;
    private final Observer observer;
    private final Map<String, Integer> calls = new TreeMap<>();
    private int startsThatRunButFail;
    private Function<StartRequest, ? extends RuntimeException> startFailure;
    private TaskScheduler shutdownScheduler;
    private long shutdownTakesMillis;

    /**
     * A wrapper with failures of its own ({@link #faults()}) and no observer.
     *
     * @param delegate the host's hypervisor
     */
    public FaultyHypervisor(HypervisorAdapter delegate) {
        this(delegate, new Faults(), (host, op, lun, left) -> {
        });
    }

    /**
     * @param delegate the host's hypervisor
     * @param faults the host's failures to come
     * @param observer told about each injected failure before it is thrown
     */
    public FaultyHypervisor(HypervisorAdapter delegate, Faults faults, Observer observer) {
        super(delegate);
        this.faults = faults;
        this.observer = observer;
    }

    /** @return the failures to come that this wrapper takes from; arm them there */
    public Faults faults() {
        return faults;
    }

    /**
     * Makes the next starts run the VM and then throw, as a start that timed out but completed anyway.
     *
     * @param count how many of the next starts (that no armed failure took) do so; replaces any earlier count
     * @param failure what such a start throws, given its request
     */
    public void startsRunButFail(int count, Function<StartRequest, ? extends RuntimeException> failure) {
        this.startsThatRunButFail = count;
        this.startFailure = failure;
    }

    /**
     * Makes guest shutdowns slow: {@link #shutdownGuest(String)} returns whether the VM runs, at once, and the
     * guest goes down {@code millis} later (through the wrapped adapter's own shutdown), or never.
     *
     * @param scheduler the time the guest takes on
     * @param millis how long a guest takes to go down; {@link #NEVER} (any negative): it never does; 0: shutdowns
     *        go straight to the wrapped adapter again
     */
    public void guestShutdownTakes(TaskScheduler scheduler, long millis) {
        this.shutdownScheduler = millis == 0 ? null : scheduler;
        this.shutdownTakesMillis = millis;
    }

    /**
     * @param op the operation, one of {@link #START}, {@link #POWER_OFF}, {@link #SHUTDOWN}, {@link #CHECKPOINT}
     * @return how many times it was called, failed calls included
     */
    public int calls(String op) {
        return calls.getOrDefault(op, 0);
    }

    private void called(String op, String lun) {
        calls.merge(op, 1, Integer::sum);
        int left = faults.take(op);
        if (left >= 0) {
            HypervisorAdapter delegate = delegate();
            observer.failed(delegate.host(), op, lun, left);
            throw new HypervisorException("simulated hypervisor-fail: " + op + " of " + lun + " on " + delegate.host()
                    + " failed (" + left + " more " + op + " failures to come)");
        }
    }

    @Override
    public RunningVm start(StartRequest request) {
        called(START, request.lun());
        RunningVm vm = super.start(request);
        if (startsThatRunButFail > 0) {
            startsThatRunButFail--;
            throw startFailure.apply(request);
        }
        return vm;
    }

    @Override
    public boolean powerOff(String lun) {
        called(POWER_OFF, lun);
        return super.powerOff(lun);
    }

    @Override
    public boolean shutdownGuest(String lun) {
        called(SHUTDOWN, lun);
        if (shutdownScheduler == null) {
            return super.shutdownGuest(lun);
        }
        boolean runs = delegate().runningLuns().contains(lun);
        if (shutdownTakesMillis > 0 && runs) {
            shutdownScheduler.schedule(shutdownTakesMillis, () -> delegate().shutdownGuest(lun));
        }
        return runs;
    }

    @Override
    public CheckpointInfo checkpoint(String lun, long generation) {
        called(CHECKPOINT, lun);
        return super.checkpoint(lun, generation);
    }
}
