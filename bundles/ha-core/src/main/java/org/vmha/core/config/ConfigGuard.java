/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.vmha.core.security.SafeText;

/**
 * The {@link ConfigGuard} is responsible for reading a typed configuration (an {@code @ObjectClassDefinition}
 * annotation interface) from the raw properties of a PID without ever throwing: every value that cannot be read as
 * its type ({@code hostFailures=abc}, {@code enabled=yes}, {@code maxBytes=[1, 2]}) is reported once, as one line
 * naming the key, the bad value and the documented default used instead, and the method then returns that default
 * (the interface's {@code default}). A missing key is not a problem: it gets the default silently. Range checks stay
 * with each component, which knows its bounds; this guard only makes sure the component sees a value of the right
 * type.
 * <p>
 * Property names follow the OSGi DS mapping of method names ({@code __} is {@code _}, a single {@code _} is
 * {@code .}, {@code $_$} is {@code -}, {@code $$} is {@code $}, another {@code $} is dropped). Supported types:
 * {@code String}, {@code boolean}, {@code int}, {@code long}, {@code double}, their arrays and {@code String[]}; a
 * {@code .cfg} file gives numbers and booleans as text, the web console as typed values, and both are accepted.
 * Whole numbers must be whole ({@code 2.5} for an {@code int} is refused, not truncated).
 * <p>
 * <b>Threading:</b> the values are read once, when {@link #read} is called; the returned object is immutable and
 * thread-safe.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ConfigGuard {

    private ConfigGuard() {
    }

    /**
     * @param <T> the configuration type
     * @param type the annotation interface of the configuration
     * @param properties the raw properties of the PID (may be null: all defaults)
     * @param problems told one line per malformed value ({@code key = 'value' is not a whole number; using the
     *        default 1})
     * @return the configuration, every value of its declared type
     */
    public static <T extends Annotation> T read(Class<T> type, Map<String, ?> properties, Consumer<String> problems) {
        if (!type.isAnnotation()) {
            throw new IllegalArgumentException(type.getName() + " is not an annotation interface");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.getParameterCount() != 0 || m.isSynthetic()) {
                continue;
            }
            String key = propertyName(m.getName());
            Object def = m.getDefaultValue();
            Object raw = properties == null ? null : properties.get(key);
            Object value = raw == null ? def : coerce(key, raw, m.getReturnType(), def, problems);
            values.put(m.getName(), value);
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            String name = method.getName();
            if (values.containsKey(name)) {
                Object v = values.get(name);
                return v != null && v.getClass().isArray() ? copy(v) : v;
            }
            switch (name) {
            case "annotationType":
                return type;
            case "toString":
                return type.getSimpleName() + describe(values);
            case "hashCode":
                return values.hashCode();
            case "equals":
                return p == args[0];
            default:
                throw new UnsupportedOperationException(name);
            }
        });
        return type.cast(proxy);
    }

    private static String describe(Map<String, Object> values) {
        StringBuilder b = new StringBuilder("(");
        values.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(k).append('=').append(k.toLowerCase(Locale.ROOT).contains("password") ? "***" : show(v));
        });
        return b.append(')').toString();
    }

    private static Object copy(Object array) {
        int n = Array.getLength(array);
        Object out = Array.newInstance(array.getClass().getComponentType(), n);
        System.arraycopy(array, 0, out, 0, n);
        return out;
    }

    /**
     * @param method a method name of a configuration interface
     * @return the property key it reads (OSGi DS name mapping)
     */
    static String propertyName(String method) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c == '_') {
                if (i + 1 < method.length() && method.charAt(i + 1) == '_') {
                    out.append('_');
                    i++;
                } else {
                    out.append('.');
                }
            } else if (c == '$') {
                if (method.startsWith("$_$", i)) {
                    out.append('-');
                    i += 2;
                } else if (i + 1 < method.length() && method.charAt(i + 1) == '$') {
                    out.append('$');
                    i++;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Object coerce(String key, Object raw, Class<?> to, Object def, Consumer<String> problems) {
        try {
            if (to.isArray()) {
                List<Object> parts = elements(raw);
                Object out = Array.newInstance(to.getComponentType(), parts.size());
                for (int i = 0; i < parts.size(); i++) {
                    Array.set(out, i, scalar(parts.get(i), to.getComponentType()));
                }
                return out;
            }
            if (raw instanceof Collection<?> || raw.getClass().isArray()) {
                List<Object> parts = elements(raw);
                if (parts.size() != 1) {
                    throw new Malformed("is a list of " + parts.size() + " values, one is expected");
                }
                return scalar(parts.get(0), to);
            }
            return scalar(raw, to);
        } catch (Malformed e) {
            problems.accept(key + " = " + show(raw) + " " + e.getMessage() + "; using the default " + show(def));
            return def;
        }
    }

    private static List<Object> elements(Object raw) {
        List<Object> parts = new ArrayList<>();
        if (raw instanceof Collection<?> c) {
            parts.addAll(c);
        } else if (raw.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(raw); i++) {
                parts.add(Array.get(raw, i));
            }
        } else {
            parts.add(raw);
        }
        return parts;
    }

    private static Object scalar(Object raw, Class<?> to) {
        if (raw == null) {
            throw new Malformed("is empty");
        }
        if (to == String.class) {
            return raw.toString();
        }
        String text = raw.toString().trim();
        if (to == boolean.class || to == Boolean.class) {
            if (raw instanceof Boolean b) {
                return b;
            }
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
            }
            throw new Malformed("is not true or false");
        }
        if (to == int.class || to == Integer.class || to == long.class || to == Long.class) {
            long v;
            if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
                v = ((Number) raw).longValue();
            } else {
                try {
                    v = Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new Malformed("is not a whole number");
                }
            }
            if (to == int.class || to == Integer.class) {
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new Malformed("is beyond the range of a whole number of this key (" + Integer.MIN_VALUE
                            + ".." + Integer.MAX_VALUE + ")");
                }
                return (int) v;
            }
            return v;
        }
        if (to == double.class || to == Double.class) {
            double d;
            if (raw instanceof Number n) {
                d = n.doubleValue();
            } else {
                try {
                    d = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new Malformed("is not a number");
                }
            }
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new Malformed("is not a finite number");
            }
            return d;
        }
        throw new Malformed("cannot be read as " + to.getSimpleName());
    }

    /** @return the value as a log shows it: quoted and escaped text, arrays as lists */
    static String show(Object v) {
        if (v == null) {
            return "(none)";
        }
        if (v.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                parts.add(show(Array.get(v, i)));
            }
            return parts.toString();
        }
        if (v instanceof Collection<?> c) {
            return show(c.toArray());
        }
        if (v instanceof String s) {
            return "'" + SafeText.prefix(s, 80) + "'";
        }
        return String.valueOf(v);
    }

    /** A value that cannot be read as its type; the message completes "key = 'value' ...". */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
