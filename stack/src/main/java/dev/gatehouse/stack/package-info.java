/**
 * Templates (SAM/CloudFormation YAML or JSON, Serverless Framework's serverless.yml) read into one {@link
 * dev.gatehouse.stack.Stack} model; intrinsic functions resolved in one place ({@code Resolver}). Data only: nothing
 * here starts or stores anything.
 */
@NullMarked
package dev.gatehouse.stack;

import org.jspecify.annotations.NullMarked;
