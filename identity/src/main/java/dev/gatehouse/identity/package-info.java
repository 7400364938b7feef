/** Gatehouse identity. */
@NullMarked
package dev.gatehouse.identity;

import org.jspecify.annotations.NullMarked;
