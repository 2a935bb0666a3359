/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vmha.core.security.SafeText;

/**
 * The {@link AuditTimes} are responsible for reading the time of {@code ha:audit --since}: an ISO time
 * ({@code 2026-12-02T14:00:00Z}, with an offset, or without one meaning UTC), an ISO date (its start, UTC), or a
 * duration back from now: a number and a unit {@code s}, {@code m}, {@code h}, {@code d} or {@code w} ({@code 90s},
 * {@code 30m}, {@code 1h}, {@code 2d}) or an ISO duration ({@code PT1H30M}).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class AuditTimes {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*([smhdw])");

    private AuditTimes() {
    }

    /**
     * @param text the expression
     * @param clock now, for a duration
     * @return the time it names
     * @throws IllegalArgumentException naming the expression and the forms accepted
     */
    public static Instant since(String text, Clock clock) {
        String t = text == null ? "" : text.strip();
        Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return clock.instant().minus(d);
        }
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return clock.instant().minus(Duration.parse(t));
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException noOffset) {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("--since must be an ISO time (2026-12-02T14:00:00Z), a date "
                    + "(2026-12-02) or a duration back from now (90s, 30m, 1h, 2d, 1w, PT1H30M), got '"
                    + SafeText.prefix(text, 40) + "'");
        }
    }
}
