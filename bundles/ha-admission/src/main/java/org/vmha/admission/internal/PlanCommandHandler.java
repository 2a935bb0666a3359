/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.admission.internal;


import org.osgi.service.component.annotations.Component;
import org.vmha.api.command.CommandException;
import org.vmha.api.command.CommandHandler;
import org.vmha.api.command.request.PlanRequest;
import org.vmha.core.inventory.HaPlanReport;
import org.vmha.core.inventory.Inventory;
import org.vmha.core.inventory.InventoryCodec;
import org.vmha.core.inventory.InventoryException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link PlanCommandHandler} is responsible for the NOC command {@code plan}, the mirror of {@code ha:plan}
 * and {@code bin/ha-plan}: {@code args.inventory} is an inventory object (docs/ha-plan.md),
 * {@code args.allCombinations} an optional boolean; the result is the ha-plan report.
 * <p>
 * The work a request may ask for is bounded before any is done (docs/security-messaging.md): at most
 * {@value #MAX_HOSTS} hosts, {@value #MAX_VMS} VMs and {@value #MAX_REQUESTS} requests; with the exact policy at
 * most {@value #MAX_EXACT_WORK} failure combinations checked over all requests, with {@code allCombinations} at
 * most {@value #MAX_PLANS} plans. Larger requests are refused with {@code TOO_LARGE}; the NOC command route also
 * runs {@code plan} off the route with a time limit.
 *
 * @author vmha - Initial contribution
 */
@Component(service = CommandHandler.class)
public final class PlanCommandHandler implements CommandHandler<PlanRequest, ObjectNode> {

    /** The most hosts of an inventory a request may plan. */
    static final int MAX_HOSTS = 512;
    /** The most VMs of an inventory a request may plan. */
    static final int MAX_VMS = 20_000;
    /** The most power-on requests of an inventory. */
    static final int MAX_REQUESTS = 1_000;
    /** With the exact policy: failure combinations times requests (plus one) checked at most. */
    static final long MAX_EXACT_WORK = 50_000;
    /** With allCombinations: the most failure plans in the report. */
    static final long MAX_PLANS = 2_000;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public Class<PlanRequest> requestType() {
        return PlanRequest.class;
    }

    @Override
    public ObjectNode handle(PlanRequest request) {
        Inventory parsed;
        try {
            parsed = new InventoryCodec().parse(mapper.writeValueAsString(request.inventory()));
        } catch (InventoryException e) {
            throw new CommandException(CommandException.BAD_REQUEST, "invalid inventory: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new CommandException(CommandException.BAD_REQUEST, "argument 'inventory' is not JSON: " + e.getMessage());
        }
        bound(parsed, request.allCombinations());
        return new HaPlanReport().report(parsed, request.allCombinations());
    }

    /** Refuses, before any work, an inventory whose report would take too long or be too large. */
    static void bound(Inventory inventory, boolean all) {
        int hosts = inventory.hosts().size();
        if (hosts > MAX_HOSTS || inventory.vms().size() > MAX_VMS || inventory.requests().size() > MAX_REQUESTS) {
            throw new CommandException(CommandException.TOO_LARGE, "an inventory of " + hosts + " hosts, "
                    + inventory.vms().size() + " VMs and " + inventory.requests().size() + " requests is larger than "
                    + "a NOC request may plan (" + MAX_HOSTS + ", " + MAX_VMS + ", " + MAX_REQUESTS
                    + "); run bin/ha-plan on it instead");
        }
        int n = inventory.policy().hostFailures();
        long combos = binomial(hosts, Math.min(n, hosts));
        if (inventory.policy().type() == org.vmha.core.admission.PolicyType.EXACT) {
            long work = combos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE
                    : combos * (inventory.requests().size() + 2L);
            if (work > MAX_EXACT_WORK) {
                throw new CommandException(CommandException.TOO_LARGE, "the exact policy with hostFailures " + n
                        + " over " + hosts + " hosts checks " + (combos == Long.MAX_VALUE ? "too many" : combos)
                        + " failure combinations for each of " + (inventory.requests().size() + 2) + " decisions, more "
                        + "than the " + MAX_EXACT_WORK + " a NOC request may ask for; lower hostFailures or run "
                        + "bin/ha-plan instead");
            }
        }
        if (all && combos > MAX_PLANS) {
            throw new CommandException(CommandException.TOO_LARGE, "allCombinations with hostFailures " + n + " over "
                    + hosts + " hosts makes " + (combos == Long.MAX_VALUE ? "too many" : combos) + " plans, more than the "
                    + MAX_PLANS + " a NOC reply may carry; lower hostFailures or run bin/ha-plan -a instead");
        }
    }

    /** @return C(n, k), or Long.MAX_VALUE when it does not fit */
    static long binomial(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        long r = 1;
        for (int i = 1; i <= Math.min(k, n - k); i++) {
            r = r * (n - Math.min(k, n - k) + i) / i;
            if (r > Long.MAX_VALUE / (n + 1L)) {
                return Long.MAX_VALUE;
            }
        }
        return r;
    }
}
