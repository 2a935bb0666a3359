/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.request;

import java.util.List;

import org.vmha.api.command.ArgumentException;

/**
 * The {@link WhatIfRequest} is the request of {@code what-if}: the ha-plan report for the live cluster.
 *
 * @param fail the hosts to assume failed; null or absent: none
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record WhatIfRequest(List<String> fail) {

    /** Checks the arguments. */
    public WhatIfRequest {
        if (fail != null) {
            for (int i = 0; i < fail.size(); i++) {
                if (fail.get(i) == null || fail.get(i).isBlank()) {
                    throw ArgumentException.invalid("fail[" + i + "]", "a host name", fail.get(i));
                }
            }
        }
        fail = fail == null ? List.of() : List.copyOf(fail);
    }
}
