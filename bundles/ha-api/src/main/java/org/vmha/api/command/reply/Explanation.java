/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.reply;

import java.util.List;

/**
 * The reply of {@code why}: a VM's facts and the sentences that explain where it is, or why it does not run.
 *
 * @param vm the VM's name
 * @param lun its volume
 * @param state its state's kind
 * @param host its current host, or null
 * @param alternate its alternate host, or null
 * @param pinned whether an operator pinned the alternate
 * @param priority its restart priority, lower case
 * @param generation its lease generation
 * @param lastDenial the last admission refusal of a request for it, or null
 * @param reasons the sentences
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record Explanation(String vm, String lun, String state, String host, String alternate, boolean pinned,
        String priority, long generation, String lastDenial, List<String> reasons) {
}
