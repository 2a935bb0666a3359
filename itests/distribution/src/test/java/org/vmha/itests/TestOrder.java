/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import java.util.Comparator;
import java.util.Locale;
import java.util.Random;

import org.junit.runner.Description;
import org.junit.runner.manipulation.Sorter;
import org.junit.runners.BlockJUnit4ClassRunner;
import org.junit.runners.model.InitializationError;
import org.ops4j.pax.exam.junit.PaxExam;

/**
 * The {@link TestOrder} is responsible for the order in which an integration test class runs its test methods, so
 * that their independence can be shown: each test sets up what it needs and undoes what it changes, so any order
 * must pass. By default JUnit's own order runs (a fixed order by the methods' hashes); {@code -Dvmha.itest.order=}
 * {@code reverse} runs them by name descending, {@code name} by name ascending (the order the classes used to
 * depend on), {@code random} in an order drawn from a printed seed and {@code random:<seed>} again in that order.
 *
 * <p>Used through {@link PaxExamRunner} (a {@link PaxExam} runner, one container per class as before) or
 * {@link PlainRunner}, in {@code @RunWith}.
 *
 * @author vmha - Initial contribution
 */
public final class TestOrder {

    /** The system property (failsafe passes {@code -D} of the Maven command line on to the tests). */
    public static final String PROPERTY = "vmha.itest.order";

    private TestOrder() {
    }

    /**
     * @param testClass the class whose methods are ordered, for the printed line
     * @param order the property's value: null or empty (JUnit's order), name, reverse, random, random:&lt;seed&gt;
     * @return the sorter for that order, or null to keep JUnit's
     */
    static Sorter sorter(Class<?> testClass, String order) {
        if (order == null || order.isBlank()) {
            return null;
        }
        String o = order.trim().toLowerCase(Locale.ROOT);
        Comparator<Description> byName = Comparator.comparing(d -> String.valueOf(d.getMethodName()));
        Comparator<Description> comparator;
        if (o.equals("name")) {
            comparator = byName;
        } else if (o.equals("reverse")) {
            comparator = byName.reversed();
        } else if (o.equals("random") || o.startsWith("random:")) {
            long seed;
            try {
                seed = o.equals("random") ? new Random().nextLong() : Long.parseLong(o.substring("random:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PROPERTY + " must be random:<a whole number>, got '" + order + "'");
            }
            comparator = Comparator.<Description>comparingLong(d -> new Random(seed ^ String.valueOf(d.getMethodName())
                    .hashCode()).nextLong()).thenComparing(byName);
            System.out.println("TestOrder: " + testClass.getSimpleName() + " runs its tests in random order; again with -D"
                    + PROPERTY + "=random:" + seed);
        } else {
            throw new IllegalArgumentException(PROPERTY + " must be name, reverse, random or random:<seed>, got '"
                    + order + "'");
        }
        System.out.println("TestOrder: " + testClass.getSimpleName() + " runs its tests in order '" + o + "'");
        return new Sorter(comparator);
    }

    /** The {@link PaxExam} runner, in the order {@value #PROPERTY} asks for. */
    public static final class PaxExamRunner extends PaxExam {

        public PaxExamRunner(Class<?> testClass) throws InitializationError {
            super(testClass);
            Sorter sorter = sorter(testClass, System.getProperty(PROPERTY));
            if (sorter != null) {
                sort(sorter);
            }
        }
    }

    /** JUnit's own runner, in the order {@value #PROPERTY} asks for (tests that start the distribution themselves). */
    public static final class PlainRunner extends BlockJUnit4ClassRunner {

        public PlainRunner(Class<?> testClass) throws InitializationError {
            super(testClass);
            Sorter sorter = sorter(testClass, System.getProperty(PROPERTY));
            if (sorter != null) {
                sort(sorter);
            }
        }
    }
}
