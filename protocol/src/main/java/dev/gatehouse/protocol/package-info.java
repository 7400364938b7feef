/**
 * The AWS JSON 1.1 protocol: requests dispatched by {@code X-Amz-Target}, error values and their one writer.
 *
 * @see <a href="https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html">AWS JSON 1.1 protocol</a>
 */
@NullMarked
package dev.gatehouse.protocol;

import org.jspecify.annotations.NullMarked;
