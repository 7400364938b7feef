/**
 * Cognito user pools: pools and app clients, users, passwords, codes, sign-in flows, tokens and JWKS, served over the
 * AWS JSON 1.1 protocol as {@code AWSCognitoIdentityProviderService}.
 */
@NullMarked
package dev.gatehouse.userpool;

import org.jspecify.annotations.NullMarked;
