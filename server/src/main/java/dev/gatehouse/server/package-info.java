/**
 * The Gatehouse server: command line and configuration, the HTTP listeners, and the wiring of every module into one
 * running stack. Nothing depends on this package.
 */
@NullMarked
package dev.gatehouse.server;

import org.jspecify.annotations.NullMarked;
