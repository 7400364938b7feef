/** Gatehouse gateway. */
@NullMarked
package dev.gatehouse.gateway;

import org.jspecify.annotations.NullMarked;
