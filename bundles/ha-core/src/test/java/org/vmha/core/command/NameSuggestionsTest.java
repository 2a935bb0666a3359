/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.core.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Tests {@link NameSuggestions}: a typo, another case or a missing zero finds its name; another number or a name far
 * off finds none.
 *
 * @author vmha - Initial contribution
 */
class NameSuggestionsTest {

    @Test
    void aCloseNameIsSuggestedAndAnotherNumberNever() {
        List<String> vms = List.of("VM01", "VM05", "VM12");
        assertThat(NameSuggestions.closest("vm5", vms)).isEqualTo("VM05");
        assertThat(NameSuggestions.closest("VM9", vms)).isNull();
        assertThat(NameSuggestions.didYouMean("VM5", vms)).isEqualTo("; did you mean VM05?");
        assertThat(NameSuggestions.didYouMean("nothing-like-it", vms)).isEmpty();
        assertThat(NameSuggestions.closest("power-of", List.of("power-on", "power-off", "migrate")))
                .isEqualTo("power-on");
        assertThat(NameSuggestions.closest("vm.restartd", List.of("vm.restarted", "host.failed")))
                .isEqualTo("vm.restarted");
        assertThat(NameSuggestions.closest(null, vms)).isNull();
    }
}
