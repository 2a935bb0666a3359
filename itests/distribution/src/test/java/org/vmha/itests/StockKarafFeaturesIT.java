/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package org.vmha.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.OptionUtils.combine;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.MavenUtils;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.vmha.api.event.CloudEvent;
import org.vmha.api.event.EventPublisher;
import org.vmha.core.event.CloudEventCodec;

/**
 * The features repository installs into a stock Karaf 4.4 exactly as README says:
 * {@code feature:repo-add mvn:org.vmha/ha-features/VERSION/xml/features} then {@code feature:install ha}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StockKarafFeaturesIT extends VmhaTestSupport {

    @Override
    public MavenArtifactUrlReference getKarafDistribution() {
        return maven("org.apache.karaf", "apache-karaf").type("tar.gz").versionAsInProject();
    }

    @Override
    @Configuration
    public Option[] config() {
        // the generated users.properties holds bcrypt hashes: the JAAS settings of the vmha distribution
        // (feature:install ha brings the spring-security-crypto encryption service they name)
        return combine(super.config(), CoreOptions.systemProperty("vmha.version")
                .value(MavenUtils.getArtifactVersion("org.vmha", "ha-features")),
                editConfigurationFilePut("etc/org.apache.karaf.jaas.cfg", "encryption.enabled", "true"),
                editConfigurationFilePut("etc/org.apache.karaf.jaas.cfg", "encryption.name", "spring-security-crypto"),
                editConfigurationFilePut("etc/org.apache.karaf.jaas.cfg", "encryption.algorithm", "bcrypt"),
                editConfigurationFilePut("etc/org.apache.karaf.jaas.cfg", "encryption.encoding", ""));
    }

    @Test
    public void haInstallsAndCarriesEvents() throws Exception {
        String repository = "mvn:org.vmha/ha-features/" + System.getProperty("vmha.version") + "/xml/features";
        featureService.addRepository(URI.create(repository));
        featureService.installFeature("ha", EnumSet.of(FeaturesService.Option.Verbose));

        for (String feature : List.of("ha-api", "ha-core", "ha-broker", "ha-routes", "ha")) {
            assertTrue(feature + " not installed", featureService.isInstalled(featureService.getFeature(feature)));
        }
        EventPublisher publisher = getOsgiService(EventPublisher.class, TIMEOUT.toMillis());
        assertNotNull(publisher);

        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : bundleContext.getBundles()) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());

        CloudEventCodec codec = new CloudEventCodec();
        CloudEvent sent = CloudEvent.of("/itest", "org.vmha.itest.ping", Instant.now(), null, Map.of());
        try (CoreSubscriber subscriber = CoreSubscriber.await("ha.events", "noc", Credentials.ofThisContainer().noc(), TIMEOUT)) {
            publisher.publish(sent);
            assertEquals(sent, codec.decode(subscriber.receiveEvent(sent.id(), TIMEOUT)));
        }
    }
}
