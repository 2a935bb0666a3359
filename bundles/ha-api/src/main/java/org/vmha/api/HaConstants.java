/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api;

/**
 * The {@link HaConstants} hold names shared by the bundles, the distribution and the documentation.
 * Messaging address names are deliberately absent: only the camel-routes bundle knows them.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public final class HaConstants {

    /** The CloudEvents {@code type} prefix of every event the product emits. */
    public static final String EVENT_TYPE_PREFIX = "org.vmha.";

    /** CloudEvents spec version we emit and accept. */
    public static final String CLOUDEVENTS_SPEC_VERSION = "1.0";

    private HaConstants() {
    }
}
