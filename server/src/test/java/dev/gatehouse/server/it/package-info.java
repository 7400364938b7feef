/**
 * Integration tests: the packaged server ({@code server/target/gatehouse.jar}) started as a child process on free
 * loopback ports and driven with the AWS SDK for Java v2, as a real client would. Run by Failsafe after
 * {@code package} ({@code mvn -pl server -am verify}).
 */
@NullMarked
package dev.gatehouse.server.it;

import org.jspecify.annotations.NullMarked;
