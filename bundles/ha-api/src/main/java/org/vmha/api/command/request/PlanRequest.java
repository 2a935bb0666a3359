/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.request;

import java.util.Map;

import org.vmha.api.command.ArgumentException;

/**
 * The {@link PlanRequest} is the request of {@code plan}: the ha-plan report for an inventory (docs/ha-plan.md).
 *
 * @param inventory the inventory object, as JSON-compatible values; required
 * @param allCombinations true for a plan per failure combination; null: false
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record PlanRequest(Map<String, Object> inventory, Boolean allCombinations) {

    /** Checks the arguments. */
    public PlanRequest {
        if (inventory == null) {
            throw ArgumentException.missing("inventory", "an inventory object (docs/ha-plan.md)");
        }
        allCombinations = allCombinations != null && allCombinations;
    }
}
