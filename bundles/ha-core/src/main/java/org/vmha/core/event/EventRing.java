/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventHistory;

/**
 * The {@link EventRing} is responsible for keeping the last {@code capacity} events in arrival order and
 * telling followers about new ones; older events fall off.
 * <p>
 * <b>Threading:</b> thread-safe. Followers are called outside the lock, on the adding thread; one that
 * throws is told about through the error sink and keeps following.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class EventRing implements EventHistory {

    private static final String PREFIX = "org.vmha.";

    private final int capacity;
    private final ArrayDeque<CloudEvent> events;
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private final Consumer<RuntimeException> errors;
    private long received;

    private record Follower(String type, Consumer<CloudEvent> listener) {
    }

    /**
     * @param capacity how many events to keep, at least 1
     * @param errors told when a follower throws
     */
    public EventRing(int capacity, Consumer<RuntimeException> errors) {
        if (capacity < 1) {
            throw new IllegalArgumentException("event history capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
        this.events = new ArrayDeque<>(Math.min(capacity, 4096));
        this.errors = errors;
    }

    /**
     * Puts back the history of an earlier run (from the {@link EventJournal}), before any event of this run: not
     * counted as received and not told to followers.
     *
     * @param earlier events, oldest first
     */
    public synchronized void restore(List<CloudEvent> earlier) {
        List<CloudEvent> now = new ArrayList<>(events);
        events.clear();
        int skip = Math.max(0, earlier.size() + now.size() - capacity);
        for (CloudEvent e : earlier) {
            if (skip > 0) {
                skip--;
            } else {
                events.addLast(e);
            }
        }
        for (CloudEvent e : now) {
            if (skip > 0) {
                skip--;
            } else {
                events.addLast(e);
            }
        }
    }

    /**
     * @param event a received event
     */
    public void add(CloudEvent event) {
        synchronized (this) {
            if (events.size() == capacity) {
                events.removeFirst();
            }
            events.addLast(event);
            received++;
        }
        for (Follower f : followers) {
            if (matches(event.type(), f.type())) {
                try {
                    f.listener().accept(event);
                } catch (RuntimeException e) {
                    errors.accept(e);
                }
            }
        }
    }

    @Override
    public synchronized List<CloudEvent> recent(int max, String type) {
        List<CloudEvent> out = new ArrayList<>();
        Iterator<CloudEvent> it = events.descendingIterator();
        while (it.hasNext() && out.size() < max) {
            CloudEvent e = it.next();
            if (matches(e.type(), type)) {
                out.add(e);
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public AutoCloseable follow(String type, Consumer<CloudEvent> listener) {
        Follower f = new Follower(type, listener);
        followers.add(f);
        return () -> followers.remove(f);
    }

    @Override
    public synchronized long received() {
        return received;
    }

    /**
     * @param type an event type
     * @param filter a filter as {@link EventHistory#recent} describes, or null
     * @return whether the type matches
     */
    public static boolean matches(String type, String filter) {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        String f = filter.startsWith(PREFIX) ? filter : PREFIX + filter;
        return type.equals(f) || type.startsWith(f.endsWith(".") ? f : f + ".");
    }
}
