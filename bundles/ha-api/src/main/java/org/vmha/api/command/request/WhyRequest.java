/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.request;

import org.vmha.api.command.ArgumentException;

/**
 * The {@link WhyRequest} is the request of {@code why}: explain a VM or a host. Exactly one of the two arguments is
 * given.
 *
 * @param vm a VM (name or lun), or a host: a name that is no VM's is looked up among the hosts
 * @param host a host, looked up among the hosts only (for a host that shares its name with a VM)
 *
 * @author vmha - Initial contribution
 * @since 0.2
 */
public record WhyRequest(String vm, String host) {

    /** Checks the arguments. */
    public WhyRequest {
        if (vm == null && host == null) {
            throw ArgumentException.missing("vm", "a string: a VM or host name; or give 'host'");
        }
        if (vm != null && host != null) {
            throw ArgumentException.invalid("host", "absent when 'vm' is given", host);
        }
        if (vm != null) {
            ArgumentException.requireText(vm, "vm");
        } else {
            ArgumentException.requireText(host, "host");
        }
    }

    /** @return the name asked about */
    public String name() {
        return vm != null ? vm : host;
    }
}
