/**
 * Gatehouse functions: Lambda functions run as Lambda runs them, each in worker processes that speak the Lambda
 * Runtime API (2018-06-01), served by Gatehouse on loopback.
 *
 * <p>A {@link dev.gatehouse.functions.FunctionSpec} describes a function (runtime, handler, code, memory, timeout,
 * environment, role); a {@link dev.gatehouse.functions.FunctionRegistry} deploys, replaces, invokes and stops them.
 * Callers (the gateway) see only {@link dev.gatehouse.functions.FunctionInvoker}: bytes in, a sealed
 * {@link dev.gatehouse.functions.InvocationResult} out. This module knows the Lambda contract, not the gateway.
 */
@NullMarked
package dev.gatehouse.functions;

import org.jspecify.annotations.NullMarked;
