/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

/**
 * The {@link LeaseExpiredException} is responsible for refusing a write or renewal by a holder whose lease has expired or was released; the holder must acquire again and gets a new generation.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class LeaseExpiredException extends LeaseException {

    private static final long serialVersionUID = 1L;

    public LeaseExpiredException(String lun, long generation, String message) {
        super(lun, generation, message);
    }
}
