/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.storage.sharedfs.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.vmha.api.storage.CorruptDataException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The {@link Json} is responsible for reading and writing the datastore's small JSON documents, and
 * for reporting unreadable ones as {@link CorruptDataException} naming file, line and column.
 *
 * @author vmha - Initial contribution
 */
final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + ": " + e, e);
        }
    }

    /**
     * @throws NoSuchFileException if the file does not exist
     * @throws CorruptDataException if it is not the expected document
     */
    static <T> T read(Path file, Class<T> type) throws IOException {
        byte[] data = Files.readAllBytes(file);
        return parse(file.toString(), data, type);
    }

    static <T> T parse(String source, byte[] data, Class<T> type) {
        try {
            T value = MAPPER.readValue(data, type);
            if (value == null) {
                throw new CorruptDataException(source + " is empty or null, expected a " + type.getSimpleName()
                        + " document");
            }
            return value;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? "" : " at line " + l.getLineNr() + " column " + l.getColumnNr();
            throw new CorruptDataException(source + " is not a valid " + type.getSimpleName() + " document" + where
                    + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CorruptDataException(source + " cannot be read as " + type.getSimpleName() + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException(source + " holds an invalid " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }
}
