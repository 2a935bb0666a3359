/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.api.command.request;


/**
 * The {@link StatusRequest} is the request of {@code status}, which takes no arguments.
 *
 * @author vmha - Initial contribution
 * @since 0.1
 */
public record StatusRequest() {

}
