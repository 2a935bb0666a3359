/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link StaleGenerationException} is responsible for refusing a write or renewal that carries a generation older than the volume's current lease generation (the caller was fenced off).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class StaleGenerationException extends LeaseException {

    private static final long serialVersionUID = 1L;

    private final long currentGeneration;

    public StaleGenerationException(String lun, long generation, long currentGeneration, String message) {
        super(lun, generation, message);
        this.currentGeneration = currentGeneration;
    }

    /** @return the generation that currently owns the volume */
    public long currentGeneration() {
        return currentGeneration;
    }
}
