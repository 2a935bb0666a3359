/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.security.internal;

import java.security.Principal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/**
 * A JAAS login module that authenticates against another realm (by default Karaf's {@code karaf}: users.properties,
 * keys, audit) and then refuses the login unless the authenticated subject holds one of the required roles. Karaf's
 * JMX connector has no setting for a role, so the realm {@code vmha-admin} built from this module is what makes a JMX
 * login need the admin role ({@code jmxRealm = vmha-admin} in etc/org.apache.karaf.management.cfg).
 *
 * <p>Options: {@code realm} (the delegate, default {@code karaf}) and {@code roles} (comma separated, default
 * {@code admin}). A role is a principal whose class is Karaf's {@code RolePrincipal}; Karaf's properties login module
 * adds one per role, including the roles of the user's groups.
 *
 * <p>Audit: the delegate realm's own audit modules (Karaf's {@code audit.log.*}, etc/org.apache.karaf.jaas.cfg) log
 * each attempt with the user and the channel: the client principals of the login ({@code jmx(127.0.0.1)}) are handed
 * to the delegate for that. A login whose password is right but whose user lacks the role is logged here, to the
 * same {@value #AUDIT_LOGGER} logger (data/log/security.log), as a failure naming the missing role. No password is
 * ever logged.
 *
 * @author vmha - Initial contribution
 */
public final class RoleRequiredLoginModule implements LoginModule {

    static final String ROLE_PRINCIPAL_CLASS = "org.apache.karaf.jaas.boot.principal.RolePrincipal";

    static final String USER_PRINCIPAL_CLASS = "org.apache.karaf.jaas.boot.principal.UserPrincipal";

    static final String CLIENT_PRINCIPAL_CLASS = "org.apache.karaf.jaas.boot.principal.ClientPrincipal";

    /** The logger of Karaf's login audit, written to data/log/security.log. */
    static final String AUDIT_LOGGER = "audit";

    /** Where refusals for a missing role go (tests replace it). */
    static volatile java.util.function.Consumer<String> audit = line -> org.slf4j.LoggerFactory.getLogger(AUDIT_LOGGER)
            .info(line);

    private Subject subject;
    private CallbackHandler callbackHandler;
    private String realm = "karaf";
    private List<String> roles = List.of("admin");

    private LoginContext delegate;
    private Subject authenticated;
    private final Set<Principal> added = new HashSet<>();

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
            Map<String, ?> options) {
        this.subject = subject;
        this.callbackHandler = callbackHandler;
        Object r = options.get("realm");
        if (r != null && !r.toString().isBlank()) {
            realm = r.toString().trim();
        }
        Object rs = options.get("roles");
        if (rs != null && !rs.toString().isBlank()) {
            roles = List.of(rs.toString().trim().split("\\s*,\\s*"));
        }
    }

    @Override
    public boolean login() throws LoginException {
        Subject candidate = new Subject();
        // the channel (ssh, jmx) and remote address, for the delegate realm's audit line
        for (Principal p : subject.getPrincipals()) {
            if (CLIENT_PRINCIPAL_CLASS.equals(p.getClass().getName())) {
                candidate.getPrincipals().add(p);
            }
        }
        LoginContext context = newLoginContext(realm, candidate, callbackHandler);
        // every failure looks the same to the client: wrong password, unknown user or missing role
        context.login();
        if (!holdsRequiredRole(candidate)) {
            audit.accept("Authentication failed - " + principalNames(candidate, USER_PRINCIPAL_CLASS, "(unknown user)")
                    + " - " + principalNames(candidate, CLIENT_PRINCIPAL_CLASS, "no client principals found")
                    + " - the password is right, but the user holds none of the roles " + roles + " that this login "
                    + "requires");
            try {
                context.logout();
            } catch (LoginException e) {
                // nothing to undo that matters: the candidate subject is dropped
            }
            throw new FailedLoginException("login refused: the user does not hold any of the roles " + roles
                    + " that realm " + realm + " requires here");
        }
        delegate = context;
        authenticated = candidate;
        return true;
    }

    /**
     * The delegate realm is looked up through the JAAS configuration that Karaf installs; Karaf's proxy login module
     * sits on Karaf's boot class path, so the lookup runs with that class loader as the context class loader.
     */
    private static LoginContext newLoginContext(String realm, Subject subject, CallbackHandler handler)
            throws LoginException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            ClassLoader boot = bootClassLoader();
            if (boot != null) {
                thread.setContextClassLoader(boot);
            }
            return new LoginContext(realm, subject, handler);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static ClassLoader bootClassLoader() {
        try {
            return Class.forName("org.apache.karaf.jaas.boot.ProxyLoginModule").getClassLoader();
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static String principalNames(Subject subject, String className, String none) {
        StringBuilder out = new StringBuilder();
        for (Principal p : subject.getPrincipals()) {
            if (className.equals(p.getClass().getName())) {
                if (out.length() > 0) {
                    out.append(", ");
                }
                out.append(p.getName().replaceAll("[\\p{Cntrl}]", "?"));
            }
        }
        return out.length() == 0 ? none : out.toString();
    }

    boolean holdsRequiredRole(Subject candidate) {
        for (Principal p : candidate.getPrincipals()) {
            if (ROLE_PRINCIPAL_CLASS.equals(p.getClass().getName()) && roles.contains(p.getName())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean commit() {
        if (authenticated == null) {
            return false;
        }
        for (Principal p : authenticated.getPrincipals()) {
            if (subject.getPrincipals().add(p)) {
                added.add(p);
            }
        }
        subject.getPublicCredentials().addAll(authenticated.getPublicCredentials());
        return true;
    }

    @Override
    public boolean abort() throws LoginException {
        return logout();
    }

    @Override
    public boolean logout() throws LoginException {
        subject.getPrincipals().removeAll(added);
        added.clear();
        authenticated = null;
        if (delegate != null) {
            LoginContext d = delegate;
            delegate = null;
            d.logout();
        }
        return true;
    }
}
