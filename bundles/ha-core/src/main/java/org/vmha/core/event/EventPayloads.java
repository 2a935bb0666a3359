/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.event;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.data.EventData;
import org.vmha.api.event.data.OmittedWhenNull;

/**
 * The {@link EventPayloads} is responsible for turning an {@link EventData} record into the {@code data} map of its
 * {@link CloudEvent}: one entry per record component, in declaration order (the wire order), holding the component's
 * value as it is (a {@code long} stays a {@link Long}), {@code null} included unless the component is
 * {@link OmittedWhenNull}. The event type is the record's {@code TYPE} constant.
 * <p>
 * <b>Threading:</b> stateless apart from a per-class cache; thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class EventPayloads {

    private static final ClassValue<String> TYPES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            try {
                Field f = type.getField("TYPE");
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) {
                    throw new IllegalStateException(type.getName() + ".TYPE is not a static String");
                }
                return (String) f.get(null);
            } catch (NoSuchFieldException | IllegalAccessException e) {
                throw new IllegalStateException(type.getName() + " has no public TYPE constant", e);
            }
        }
    };

    private EventPayloads() {
    }

    /**
     * @param data the payload
     * @return its event type ({@link org.vmha.api.event.EventTypes})
     */
    public static String type(EventData data) {
        return TYPES.get(data.getClass());
    }

    /**
     * @param data the payload
     * @return its fields in wire order, as a mutable map
     */
    public static Map<String, Object> toMap(EventData data) {
        Component[] components = COMPONENTS.get(data.getClass());
        Map<String, Object> m = new LinkedHashMap<>(components.length * 2);
        for (Component c : components) {
            Object value;
            try {
                value = c.accessor().invoke(data);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read " + data.getClass().getName() + "." + c.name(), e);
            }
            if (value != null || !c.omittedWhenNull()) {
                m.put(c.name(), value);
            }
        }
        return m;
    }

    /** One field of a payload record, looked up once per record class (events are on the agents' hot path). */
    private record Component(String name, MethodHandle accessor, boolean omittedWhenNull) {
    }

    private static final ClassValue<Component[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected Component[] computeValue(Class<?> type) {
            RecordComponent[] rc = type.getRecordComponents();
            Component[] out = new Component[rc.length];
            for (int i = 0; i < rc.length; i++) {
                try {
                    out[i] = new Component(rc[i].getName(), MethodHandles.publicLookup().unreflect(rc[i].getAccessor())
                            .asType(MethodType.methodType(Object.class, Object.class)),
                            rc[i].isAnnotationPresent(OmittedWhenNull.class));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + type.getName() + "." + rc[i].getName(), e);
                }
            }
            return out;
        }
    };

    /**
     * @param id the event id
     * @param source the producer
     * @param time when it happened
     * @param subject the entity it is about, or {@code null}
     * @param data the payload, which also gives the type
     * @return the event
     */
    public static CloudEvent event(String id, String source, Instant time, String subject, EventData data) {
        return new CloudEvent(id, source, type(data), time, subject, toMap(data));
    }
}
