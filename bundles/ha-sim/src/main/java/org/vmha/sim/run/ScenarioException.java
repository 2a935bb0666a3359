/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.sim.run;

/**
 * The {@link ScenarioException} is responsible for reporting a scenario that cannot be run: malformed
 * (exit code 2) or asking for something a later release supports (exit code 3). The message names the
 * place, e.g. {@code events[3].do}.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class ScenarioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final boolean notSupportedYet;

    /**
     * @param path where in the scenario ({@code $} for the document)
     * @param message what is wrong
     * @param notSupportedYet true for features of later issues
     */
    public ScenarioException(String path, String message, boolean notSupportedYet) {
        super(path + ": " + message);
        this.path = path;
        this.notSupportedYet = notSupportedYet;
    }

    /** @return where in the scenario */
    public String path() {
        return path;
    }

    /** @return true if the scenario asks for a feature that is not supported yet */
    public boolean notSupportedYet() {
        return notSupportedYet;
    }
}
