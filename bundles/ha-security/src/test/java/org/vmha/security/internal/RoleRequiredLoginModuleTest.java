/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The realm vmha-admin over a stand-in for Karaf's realm (user=password, roles as in users.properties). */
class RoleRequiredLoginModuleTest {

    /** Stand-in for Karaf's properties login module: admin/secret has role admin, noc/noc-pw has ha-noc-reader. */
    public static final class FakeKarafModule implements LoginModule {
        static final List<String> CHANNELS_SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();
        private static final Map<String, List<String>> USERS = Map.of("admin:secret", List.of("admin", "viewer"),
                "noc:noc-pw", List.of("ha-noc-reader"));
        private Subject subject;
        private CallbackHandler handler;
        private String user;
        private List<String> roles;

        @Override
        public void initialize(Subject s, CallbackHandler h, Map<String, ?> shared, Map<String, ?> options) {
            subject = s;
            handler = h;
        }

        @Override
        public boolean login() throws LoginException {
            subject.getPrincipals(ClientPrincipal.class).forEach(c -> CHANNELS_SEEN.add(c.getName()));
            NameCallback name = new NameCallback("user");
            PasswordCallback password = new PasswordCallback("password", false);
            try {
                handler.handle(new Callback[] {name, password});
            } catch (Exception e) {
                throw new LoginException(e.toString());
            }
            roles = USERS.get(name.getName() + ":" + new String(password.getPassword()));
            if (roles == null) {
                throw new FailedLoginException("wrong password");
            }
            user = name.getName();
            return true;
        }

        @Override
        public boolean commit() {
            subject.getPrincipals().add(new UserPrincipal(user));
            roles.forEach(r -> subject.getPrincipals().add(new RolePrincipal(r)));
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            subject.getPrincipals().clear();
            return true;
        }
    }

    private Configuration previous;

    @BeforeEach
    void install() {
        try {
            previous = Configuration.getConfiguration();
        } catch (SecurityException e) {
            previous = null;
        }
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                switch (name) {
                    case "karaf":
                        return new AppConfigurationEntry[] {new AppConfigurationEntry(FakeKarafModule.class.getName(),
                                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())};
                    case "vmha-admin":
                        return new AppConfigurationEntry[] {new AppConfigurationEntry(
                                RoleRequiredLoginModule.class.getName(),
                                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of("realm", "karaf",
                                        "roles", "admin"))};
                    default:
                        return null;
                }
            }
        });
    }

    @AfterEach
    void restore() {
        Configuration.setConfiguration(previous);
    }

    private static CallbackHandler credentials(String user, String password) {
        return callbacks -> {
            for (Callback c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName(user);
                } else if (c instanceof PasswordCallback p) {
                    p.setPassword(password.toCharArray());
                }
            }
        };
    }

    @Test
    void anAdminLogsInWithTheDelegateRealmsPrincipals() throws Exception {
        Subject subject = new Subject();
        LoginContext login = new LoginContext("vmha-admin", subject, credentials("admin", "secret"));
        login.login();
        assertThat(subject.getPrincipals()).contains(new UserPrincipal("admin"), new RolePrincipal("admin"),
                new RolePrincipal("viewer"));
        login.logout();
        assertThat(subject.getPrincipals()).isEmpty();
    }

    @Test
    void aValidPasswordWithoutTheRoleIsRefused() throws Exception {
        Subject subject = new Subject();
        LoginContext login = new LoginContext("vmha-admin", subject, credentials("noc", "noc-pw"));
        assertThatThrownBy(login::login).isInstanceOf(FailedLoginException.class)
                .hasMessageContaining("does not hold any of the roles [admin]");
        assertThat(subject.getPrincipals()).isEmpty();
        // the same password is good in the delegate realm: only the role is missing
        new LoginContext("karaf", new Subject(), credentials("noc", "noc-pw")).login();
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        Subject subject = new Subject();
        assertThatThrownBy(() -> new LoginContext("vmha-admin", subject, credentials("admin", "wrong")).login())
                .isInstanceOf(LoginException.class);
        assertThat(subject.getPrincipals()).isEmpty();
    }

    @Test
    void aRefusalForAMissingRoleIsAuditedWithUserAndChannelAndTheDelegateSeesTheChannel() throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        java.util.function.Consumer<String> before = RoleRequiredLoginModule.audit;
        RoleRequiredLoginModule.audit = lines::add;
        FakeKarafModule.CHANNELS_SEEN.clear();
        try {
            Subject subject = new Subject();
            subject.getPrincipals().add(new ClientPrincipal("jmx", "127.0.0.1"));
            assertThatThrownBy(() -> new LoginContext("vmha-admin", subject, credentials("noc", "noc-pw")).login())
                    .isInstanceOf(LoginException.class);
            assertThat(lines).containsExactly("Authentication failed - noc - jmx(127.0.0.1) - the password is right, "
                    + "but the user holds none of the roles [admin] that this login requires");
            assertThat(lines.get(0)).doesNotContain("noc-pw");
            assertThat(FakeKarafModule.CHANNELS_SEEN).as("the delegate realm's audit names the channel")
                    .containsExactly("jmx(127.0.0.1)");
            Subject admin = new Subject();
            new LoginContext("vmha-admin", admin, credentials("admin", "secret")).login();
            assertThat(lines).hasSize(1);
        } finally {
            RoleRequiredLoginModule.audit = before;
        }
    }
}
