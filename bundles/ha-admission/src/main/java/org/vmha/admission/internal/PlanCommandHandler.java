/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.admission.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandHandler;
import org.vmha.core.inventory.HaPlanReport;
import org.vmha.core.inventory.Inventory;
import org.vmha.core.inventory.InventoryCodec;
import org.vmha.core.inventory.InventoryException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link PlanCommandHandler} is responsible for the NOC command {@code plan}, the mirror of {@code ha:plan}
 * and {@code bin/ha-plan}: {@code args.inventory} is an inventory object (docs/ha-plan.md),
 * {@code args.allCombinations} an optional boolean; the result is the ha-plan report.
 *
 * @author vmha - Initial contribution
 */
@Component(service = CommandHandler.class)
public final class PlanCommandHandler implements CommandHandler {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public Map<String, Object> handle(Map<String, Object> args) {
        Object inventory = args.get("inventory");
        if (!(inventory instanceof Map)) {
            throw new CommandException(CommandException.BAD_REQUEST,
                    "argument 'inventory' must be an inventory object (docs/ha-plan.md)"
                            + (inventory == null ? ", it is missing" : ", got " + inventory.getClass().getSimpleName()));
        }
        Object all = args.getOrDefault("allCombinations", Boolean.FALSE);
        if (!(all instanceof Boolean)) {
            throw new CommandException(CommandException.BAD_REQUEST, "argument 'allCombinations' must be a boolean");
        }
        Inventory parsed;
        try {
            parsed = new InventoryCodec().parse(mapper.writeValueAsString(inventory));
        } catch (InventoryException e) {
            throw new CommandException(CommandException.BAD_REQUEST, "invalid inventory: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new CommandException(CommandException.BAD_REQUEST, "argument 'inventory' is not JSON: " + e.getMessage());
        }
        return mapper.convertValue(new HaPlanReport().report(parsed, (Boolean) all), MAP);
    }
}
