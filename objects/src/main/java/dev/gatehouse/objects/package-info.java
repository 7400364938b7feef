/**
 * An S3-compatible subset for the stack's attachments bucket: path-style PutObject, GetObject, HeadObject,
 * DeleteObject and ListObjectsV2, SigV4 by header or presigned URL (including {@code aws-chunked} bodies), S3's XML
 * errors, and access decided by the caller's IAM policy. Object bytes live in files named by random ids; keys and
 * metadata live in the item store.
 */
@NullMarked
package dev.gatehouse.objects;

import org.jspecify.annotations.NullMarked;
