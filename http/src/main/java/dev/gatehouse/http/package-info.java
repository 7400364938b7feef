/**
 * What every HTTP endpoint does with a Vert.x request before and after its own work: read a body up to a limit, and
 * close a connection only once the client has sent its whole body.
 */
@NullMarked
package dev.gatehouse.http;

import org.jspecify.annotations.NullMarked;
