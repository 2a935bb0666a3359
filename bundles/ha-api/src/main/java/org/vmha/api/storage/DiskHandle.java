/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.storage;

import java.net.URI;

/**
 * The {@link DiskHandle} is responsible for telling the hypervisor adapter where a virtual disk of a
 * volume lives. For file-based adapters the URI is a {@code file:} URI; other adapters use their own
 * scheme (the in-memory one uses {@code memory:}).
 *
 * @param lun the volume
 * @param name the disk name
 * @param uri where the disk is
 * @param sizeBytes the provisioned size
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record DiskHandle(String lun, String name, URI uri, long sizeBytes) {
}
