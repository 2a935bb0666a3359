/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
/**
 * Injected time: the {@link org.vmha.api.time.TaskScheduler} every piece of logic reads the clock from and sets
 * its timers on, and {@link org.vmha.api.time.ExecutorTaskScheduler}, the one on a real clock and an executor, so the same classes run on a real clock in a deployment and on a virtual one in tests and in the
 * simulator.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vmha.api.time;
