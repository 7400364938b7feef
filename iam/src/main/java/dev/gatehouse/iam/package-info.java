/**
 * AWS identity for Gatehouse: SigV4 request verification, access keys and IAM policy evaluation.
 *
 * <p>Pure Java: no HTTP server, no storage. The server turns an HTTP request into a {@link dev.gatehouse.iam.SignedRequest},
 * and a {@link dev.gatehouse.iam.SigV4Verifier} turns that into a {@link dev.gatehouse.iam.VerifiedCaller} or throws a
 * {@link dev.gatehouse.iam.SignatureException}. A {@link dev.gatehouse.iam.PolicyEvaluator} then decides, from the
 * caller's parsed {@link dev.gatehouse.iam.Policy} documents and a {@link dev.gatehouse.iam.RequestContext}, whether the
 * call is allowed ({@link dev.gatehouse.iam.Decision}).
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html">Create a signed AWS API request</a>
 */
@NullMarked
package dev.gatehouse.iam;

import org.jspecify.annotations.NullMarked;
