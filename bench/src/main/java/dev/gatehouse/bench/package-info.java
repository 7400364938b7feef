/** A load driver that measures the in-process Gatehouse API against a bare Vert.x server. */
@NullMarked
package dev.gatehouse.bench;

import org.jspecify.annotations.NullMarked;
