/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.inventory;

/**
 * The {@link InventoryException} is responsible for reporting an invalid inventory: {@link #field()}
 * is the JSON path of the offending field (for example {@code vms[2].host}).
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public class InventoryException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field JSON path of the field
     * @param problem what is wrong with it
     */
    public InventoryException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** @return the JSON path of the offending field */
    public String field() {
        return field;
    }
}
