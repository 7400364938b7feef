/**
 * The Gatehouse test CLI: the recipe's three steps (sign in to the user pool with SRP, exchange the id token at the
 * identity pool for temporary credentials, call the API signed with SigV4) in one command with the options of
 * {@code aws-api-gateway-cli-test}, plus admin conveniences (create and confirm a user, print the stack outputs).
 * Nothing depends on this package.
 */
@NullMarked
package dev.gatehouse.cli;

import org.jspecify.annotations.NullMarked;
