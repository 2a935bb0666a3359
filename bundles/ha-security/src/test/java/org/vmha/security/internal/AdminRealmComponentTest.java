/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AdminRealmComponentTest {

    @Test
    void anEmptyValueIsOneErrorNamingPidAndKeyAndTheDefaultIsUsed() {
        List<String> errors = new ArrayList<>();
        assertThat(AdminRealmComponent.value("delegateRealm", "  ", AdminRealmConfiguration.DEFAULT_DELEGATE_REALM,
                errors::add)).isEqualTo("karaf");
        assertThat(errors).containsExactly("Invalid configuration org.vmha.security.realm: delegateRealm = '  ' is "
                + "empty; using the default 'karaf'");
    }

    @Test
    void aGivenValueIsTrimmedSilently() {
        List<String> errors = new ArrayList<>();
        assertThat(AdminRealmComponent.value("roles", " admin,ops ", AdminRealmConfiguration.DEFAULT_ROLES,
                errors::add)).isEqualTo("admin,ops");
        assertThat(errors).isEmpty();
    }
}
