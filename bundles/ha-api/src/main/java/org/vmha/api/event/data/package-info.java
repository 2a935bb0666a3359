/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * The typed {@code data} of the product's events: one record per event type ({@link org.vmha.api.event.EventTypes}),
 * whose components are the fields of the type's JSON Schema under {@code docs/schemas/events/}, in wire order. Value
 * types only: how they become JSON is the business of the event codec.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.vmha.api.event.data;
