/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.commands.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link Readable} is responsible for how the {@code ha:*} commands show values a person reads, never as Java's
 * {@code toString}: a map as {@code key=value key=value} ({@code by=H2 host=H3}; a nested value as compact JSON),
 * capacities and loads in the units an operator reads ({@code 16.0 GHz / 16.0 GiB} for {@code cpuMhz=16000,
 * memoryMb=16384}, {@code 68 MHz / 512 MiB} below one GHz or GiB), percentages with {@code %} ({@code CPU 25%, memory 30%}). {@code --json} keeps the raw numbers.
 *
 * @author vmha - Initial contribution
 */
final class Readable {

    /** Compact JSON for nested values. */
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Readable() {
    }

    /**
     * @param map any map, may be null
     * @return {@code key=value key=value} in the map's order (a nested map or list as compact JSON); "-" for none
     */
    static String pairs(Map<?, ?> map) {
        if (map == null || map.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        map.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append(k).append('=').append(value(v)));
        return out.toString();
    }

    /** @return {@link #pairs} with the keys sorted */
    static String sortedPairs(Map<String, ?> map) {
        return map == null ? "-" : pairs(new TreeMap<>(map));
    }

    /** @return a scalar as its text, a map or list as compact JSON */
    static String value(Object v) {
        if (v instanceof Map || v instanceof Collection || v instanceof Object[]) {
            try {
                return COMPACT.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                return "?";
            }
        }
        return String.valueOf(v);
    }

    /**
     * @param amounts a resource vector as the handlers answer it ({@code cpuMhz}, {@code memoryMb}, any other
     *        resource by name), may be null
     * @return {@code 16.0 GHz / 16.0 GiB} (other resources appended as {@code name=amount}); "-" for none
     */
    static String amounts(Map<?, ?> amounts) {
        if (amounts == null || amounts.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        parts.add(ghz(amounts.get("cpuMhz")));
        parts.add(gib(amounts.get("memoryMb")));
        amounts.forEach((k, v) -> {
            if (!"cpuMhz".equals(k) && !"memoryMb".equals(k)) {
                parts.add(k + "=" + value(v));
            }
        });
        return String.join(" / ", parts);
    }

    /** @return MHz as GHz with one decimal ({@code 16.0 GHz}), below 1 GHz as MHz ({@code 68 MHz}); absent: 0 */
    static String ghz(Object mhz) {
        double v = number(mhz);
        return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%.1f GHz", v / 1000.0)
                : String.format(Locale.ROOT, "%d MHz", Math.round(v));
    }

    /**
     * @return MB (MiB, as the hypervisors count them) as GiB with one decimal ({@code 16.0 GiB}), below 1 GiB as MiB
     *         ({@code 512 MiB}); absent: 0
     */
    static String gib(Object mb) {
        double v = number(mb);
        return Math.abs(v) >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", v / 1024.0)
                : String.format(Locale.ROOT, "%d MiB", Math.round(v));
    }

    /**
     * @param percents percent by resource ({@code cpuMhz}, {@code memoryMb}, others by name), may be null
     * @return {@code CPU 25%, memory 30%}; "-" for none
     */
    static String percents(Map<?, ?> percents) {
        if (percents == null || percents.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        percents.forEach((k, v) -> parts.add(resource(String.valueOf(k)) + " " + value(v) + "%"));
        return String.join(", ", parts);
    }

    /** @return the name a person reads for a resource key: {@code CPU}, {@code memory}, else the key */
    static String resource(String key) {
        return switch (key) {
            case "cpuMhz" -> "CPU";
            case "memoryMb" -> "memory";
            default -> key;
        };
    }

    private static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o != null) {
            try {
                return Double.parseDouble(String.valueOf(o));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
