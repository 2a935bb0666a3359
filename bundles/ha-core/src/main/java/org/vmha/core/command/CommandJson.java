/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.command;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.vmha.api.command.ArgumentException;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.reply.ClusterStatus;
import org.vmha.api.command.reply.VmResult;
import org.vmha.api.command.request.SetRequest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The {@link CommandJson} is responsible for the JSON form of the typed command contract
 * ({@link org.vmha.api.command.request}, {@link org.vmha.api.command.reply}): binding a request's {@code args}
 * object to its record, strictly, and writing a result record as the reply's {@code result}.
 * <p>
 * Binding refuses, with a {@link CommandException#BAD_REQUEST} that names the command and the argument, an unknown
 * argument ({@code command 'status' has no argument 'x'; it takes none}), a value of another JSON type than the
 * record's component, without coercion ({@code argument 'vm' of command 'power-on' must be a string, got integer
 * 12}), and what the record itself refuses ({@link ArgumentException}: a missing or invalid argument). The wire
 * details that the API's records leave to the codec are here, as Jackson mix-ins: {@code set}'s JSON
 * {@code "alternate": null} unpins ({@link SetRequest#UNPIN}, unlike an absent one), {@code destination} and an
 * absent admission policy's fields are left out when null, and {@code protectedVms} is written {@code protected}.
 * <p>
 * <b>Threading:</b> thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class CommandJson {

    private final ObjectMapper mapper;

    /** A codec with the strict binding and the reply mix-ins. */
    public CommandJson() {
        JsonMapper m = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addMixIn(SetRequest.class, SetRequestJson.class).addMixIn(VmResult.class, VmResultJson.class)
                .addMixIn(ClusterStatus.VmCounts.class, VmCountsJson.class)
                .addMixIn(ClusterStatus.Admission.class, AdmissionJson.class).build();
        for (LogicalType type : LogicalType.values()) {
            for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.String,
                CoercionInputShape.EmptyString, CoercionInputShape.EmptyArray, CoercionInputShape.EmptyObject}) {
                m.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
            }
        }
        this.mapper = m;
    }

    /** @return the mapper, for reading and writing plain JSON alongside (it refuses trailing text) */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * @param <A> the request record
     * @param command the command, for messages
     * @param args the request's {@code args} object; null or JSON null: no arguments
     * @param type the record
     * @return the bound request
     * @throws CommandException BAD_REQUEST naming what was wrong
     */
    public <A extends Record> A bind(String command, JsonNode args, Class<A> type) {
        JsonNode node = args == null || args.isNull() ? mapper.createObjectNode() : args;
        try {
            return mapper.treeToValue(node, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof ArgumentException a) {
                throw a.forCommand(command);
            }
            throw new CommandException(CommandException.BAD_REQUEST, "invalid arguments of command '" + command + "': "
                    + (e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage()));
        } catch (UnrecognizedPropertyException e) {
            TreeSet<String> known = new TreeSet<>();
            for (RecordComponent c : type.getRecordComponents()) {
                known.add(c.getName());
            }
            throw new CommandException(CommandException.BAD_REQUEST, "command '" + command + "' has no argument '"
                    + org.vmha.core.security.SafeText.prefix(e.getPropertyName(), 40) + "'" + (known.isEmpty()
                            ? "; it takes none" : "; it takes " + String.join(", ", known)));
        } catch (MismatchedInputException e) {
            String name = path(e);
            JsonNode given = node.at(pointer(e));
            throw ArgumentException.invalid(name, expected(type, e.getPath()), plain(given)).forCommand(command);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CommandException(CommandException.BAD_REQUEST, "invalid arguments of command '" + command
                    + "': " + org.vmha.core.security.SafeText.prefix(String.valueOf(e.getMessage()), 200));
        }
    }

    /**
     * @param result a handler's result (a record, a JSON tree, a map), or null
     * @return it as JSON, an empty object for null
     */
    public JsonNode write(Object result) {
        return result == null ? mapper.createObjectNode() : mapper.valueToTree(result);
    }

    /** @return the argument's name: {@code vm}, {@code capacity.cpuMhz}, {@code fail[0]} */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? "args" : out.toString();
    }

    private static String pointer(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            out.append('/').append(r.getFieldName() != null ? r.getFieldName().replace("~", "~0").replace("/", "~1")
                    : String.valueOf(r.getIndex()));
        }
        return out.toString();
    }

    private Object plain(JsonNode given) {
        if (given == null || given.isMissingNode() || given.isNull()) {
            return null;
        }
        try {
            return mapper.treeToValue(given, Object.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return given.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @return what the value at the path must be, in words, from the record's component types */
    static String expected(Class<?> record, List<JsonMappingException.Reference> path) {
        if (path.isEmpty()) {
            return "an object";
        }
        Type type = null;
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.getName().equals(path.get(0).getFieldName())) {
                type = c.getGenericType();
            }
        }
        for (int i = 1; i < path.size() && type instanceof ParameterizedType p; i++) {
            Type[] args = p.getActualTypeArguments();
            type = args[args.length - 1];
        }
        return describe(type);
    }

    private static String describe(Type type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "a whole number >= 0";
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return "a list of " + (p.getActualTypeArguments()[0] == String.class ? "strings" : "values");
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            Type value = p.getActualTypeArguments()[1];
            return value == Long.class ? "an object of whole numbers, e.g. {\"cpuMhz\": 8000, \"memoryMb\": 16384}"
                    : "a JSON object";
        }
        return "a value of another type";
    }

    /** {@code "alternate": null} unpins; an absent alternate stays null. */
    abstract static class SetRequestJson {
        SetRequestJson(String vm, String priority, Boolean ha, @JsonDeserialize(using = Unpin.class) String alternate,
                String isolationResponse) {
        }
    }

    /** A string whose JSON null means {@link SetRequest#UNPIN}. */
    static final class Unpin extends StdDeserializer<String> {
        private static final long serialVersionUID = 1L;

        Unpin() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            return p.getText();
        }

        @Override
        public String getNullValue(DeserializationContext ctxt) {
            return SetRequest.UNPIN;
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }

    /** {@code destination} only for a migrating VM. */
    abstract static class VmResultJson {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String destination();
    }

    /** {@code protected} is a Java keyword; the rename would move it last. */
    @JsonPropertyOrder({"total", "protected", "byState"})
    abstract static class VmCountsJson {
        VmCountsJson(int total, @JsonProperty("protected") int protectedVms, Map<String, Integer> byState) {
        }

        @JsonProperty("protected")
        abstract int protectedVms();
    }

    /** With no admission policy, only {@code policy}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract static class AdmissionJson {
    }
}
