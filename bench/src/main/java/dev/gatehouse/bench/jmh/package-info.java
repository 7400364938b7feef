/** JMH micro-benchmarks of the request hot paths (run with {@code org.openjdk.jmh.Main}). */
@NullMarked
package dev.gatehouse.bench.jmh;

import org.jspecify.annotations.NullMarked;
