/**
 * Gatehouse notes: the recipe's notes API as plain Lambda handlers
 * ({@code RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>}, payload format 2.0), keyed by the caller's
 * Cognito identity id. Depends only on the item-store port and the Lambda contract, so the same handlers run behind
 * Gatehouse's gateway and on AWS Lambda. {@link dev.gatehouse.notes.NotesApi} builds the handlers;
 * {@link dev.gatehouse.notes.Attachments} is the seam to the attachments bucket.
 */
@NullMarked
package dev.gatehouse.notes;

import org.jspecify.annotations.NullMarked;
