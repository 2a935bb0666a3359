/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.inventory;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.vmha.api.model.FailoverTableEntry;
import org.vmha.api.model.HostState;
import org.vmha.api.model.IsolationResponse;
import org.vmha.api.model.ResourceVector;
import org.vmha.api.model.RestartPriority;
import org.vmha.api.model.Vm;
import org.vmha.api.model.VmState;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * The {@link ModelJsonModule} is responsible for the stable JSON form of the {@code org.vmha.api.model}
 * records with plain Jackson ({@code mapper.registerModule(new ModelJsonModule())}):
 * <ul>
 * <li>record components keep their names ({@code name}, {@code capacity}, {@code lun}, ...);</li>
 * <li>a {@link ResourceVector} is a flat object {@code {"cpuMhz":2000,"memoryMb":1024}};</li>
 * <li>{@link HostState}, {@link RestartPriority} and {@link IsolationResponse} are lower case with
 * {@code -} for {@code _} ({@code "connected"}, {@code "leave-powered-on"}); decoding accepts any case
 * and {@code _};</li>
 * <li>a {@link VmState} is {@code {"kind":"MIGRATING","source":"H1","dest":"H2"}}, as in
 * {@link org.vmha.core.plan.FailoverTableCodec};</li>
 * <li>derived flags ({@code protected}) are not written.</li>
 * </ul>
 * Uses only Jackson 2.14 features.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ModelJsonModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    /** Hides the derived {@code isProtected()} flag. */
    @JsonIgnoreProperties({"protected" })
    abstract static class NoDerivedFlags {
    }

    public ModelJsonModule() {
        super("vmha-model");
        addSerializer(ResourceVector.class, new StdSerializer<>(ResourceVector.class) {
            private static final long serialVersionUID = 1L;

            @Override
            public void serialize(ResourceVector v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartObject();
                for (Map.Entry<String, Long> e : v.amounts().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
        });
        addDeserializer(ResourceVector.class, new StdDeserializer<>(ResourceVector.class) {
            private static final long serialVersionUID = 1L;

            @Override
            public ResourceVector deserialize(JsonParser p, DeserializationContext c) throws IOException {
                JsonNode n = p.readValueAsTree();
                if (n == null || !n.isObject()) {
                    return (ResourceVector) c.handleUnexpectedToken(ResourceVector.class, p);
                }
                TreeMap<String, Long> m = new TreeMap<>();
                Iterator<Map.Entry<String, JsonNode>> it = n.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToLong()) {
                        throw c.weirdStringException(e.getValue().toString(), ResourceVector.class,
                                "resource '" + e.getKey() + "' must be an integer");
                    }
                    m.put(e.getKey(), e.getValue().longValue());
                }
                return new ResourceVector(m);
            }
        });
        addSerializer(VmState.class, new StdSerializer<>(VmState.class) {
            private static final long serialVersionUID = 1L;

            @Override
            public void serialize(VmState s, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartObject();
                g.writeStringField("kind", s.kind());
                if (s instanceof VmState.Migrating m) {
                    g.writeStringField("source", m.source());
                    g.writeStringField("dest", m.dest());
                } else if (s instanceof VmState.RestartPending r) {
                    g.writeStringField("reason", r.reason());
                } else if (s instanceof VmState.Failed f) {
                    g.writeStringField("reason", f.reason());
                }
                g.writeEndObject();
            }
        });
        addDeserializer(VmState.class, new StdDeserializer<>(VmState.class) {
            private static final long serialVersionUID = 1L;

            @Override
            public VmState deserialize(JsonParser p, DeserializationContext c) throws IOException {
                JsonNode n = p.readValueAsTree();
                try {
                    return org.vmha.core.plan.FailoverTableCodec.state(n, "state");
                } catch (IllegalArgumentException e) {
                    throw c.weirdStringException(String.valueOf(n), VmState.class, e.getMessage());
                }
            }
        });
        enumCodec(HostState.class);
        enumCodec(RestartPriority.class);
        enumCodec(IsolationResponse.class);
        setMixInAnnotation(Vm.class, NoDerivedFlags.class);
        setMixInAnnotation(FailoverTableEntry.class, NoDerivedFlags.class);
    }

    private <E extends Enum<E>> void enumCodec(Class<E> type) {
        addSerializer(type, new StdSerializer<>(type) {
            private static final long serialVersionUID = 1L;

            @Override
            public void serialize(E e, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        });
        addDeserializer(type, new StdDeserializer<>(type) {
            private static final long serialVersionUID = 1L;

            @Override
            public E deserialize(JsonParser p, DeserializationContext c) throws IOException {
                String s = p.getValueAsString();
                try {
                    return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
                } catch (RuntimeException ex) {
                    throw c.weirdStringException(s, type, "not one of " + java.util.Arrays.toString(
                            type.getEnumConstants()).toLowerCase(Locale.ROOT).replace('_', '-'));
                }
            }
        });
    }
}
