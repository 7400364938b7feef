"""Drives Gatehouse with boto3 on its defaults and a plain HTTP client; prints what each attempt got, as JSON.

Input (argv[1], JSON): endpoint, api, bucket, region, key/secret/token (identity-pool credentials of a user whose
objects live under prefix), other_prefix (another user's), admin_key/admin_secret, pool_id.
Output: {"<scenario>": {"status": int, "body": str, "headers": {lower-case name: value}, ...}}.
"""
import http.client
import json
import sys
import urllib.parse
import uuid

import boto3
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

cfg = json.loads(sys.argv[1])
endpoint, bucket, prefix = cfg["endpoint"], cfg["bucket"], cfg["prefix"]
session = dict(aws_access_key_id=cfg["key"], aws_secret_access_key=cfg["secret"], aws_session_token=cfg["token"])
# boto3's defaults for us-east-1: presigned URLs and POST policies signed with SigV2.
s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint, **session)
s3v4 = boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint, config=Config(signature_version="s3v4"),
                    **session)
results = {}


def send(method, url, headers=(), body=b""):
    """Sends exactly these headers (repeats kept), as a plain HTTP client."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    target = parts.path + ("?" + parts.query if parts.query else "")
    conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
    names = {name.lower() for name, _ in headers}
    if "host" not in names:
        conn.putheader("Host", parts.netloc)
    for name, value in headers:
        conn.putheader(name, value)
    if body or method in ("PUT", "POST"):
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body if body else None)
    response = conn.getresponse()
    answer = {"status": response.status, "body": response.read().decode("utf-8", "replace"),
              "headers": {k.lower(): v for k, v in response.getheaders()}}
    conn.close()
    return answer


def form(post, file_name, content, overrides=None):
    """POSTs a generate_presigned_post result as multipart/form-data, fields first, the file last."""
    fields = dict(post["fields"])
    fields.update(overrides or {})
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n"
             f"Content-Type: text/plain\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return send("POST", post["url"], [("Content-Type", f"multipart/form-data; boundary={boundary}")], body)


def signed_headers(auth, method, url, body=b"", headers=None):
    request = AWSRequest(method=method, url=url, data=body, headers=headers or {})
    auth.add_auth(request)
    return [(k, v) for k, v in request.headers.items()]


# --- SigV2 presigned URLs -------------------------------------------------------------------------------------------
s3.put_object(Bucket=bucket, Key=prefix + "v2.txt", Body=b"hello from boto3")
get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": prefix + "v2.txt"}, ExpiresIn=300)
results["v2_get"] = send("GET", get_url)
results["v2_get"]["url"] = get_url
signature = urllib.parse.parse_qs(urllib.parse.urlsplit(get_url).query)["Signature"][0]
tampered = ("A" if signature[0] != "A" else "B") + signature[1:]
results["v2_tampered"] = send("GET", get_url.replace("Signature=" + urllib.parse.quote(signature, safe=""),
                                                     "Signature=" + urllib.parse.quote(tampered, safe="")))
results["v2_expired"] = send("GET", s3.generate_presigned_url(
    "get_object", Params={"Bucket": bucket, "Key": prefix + "v2.txt"}, ExpiresIn=-60))
results["v2_repeated_signature"] = send("GET", get_url + "&Signature=garbage")
results["v2_other_user"] = send("GET", s3.generate_presigned_url(
    "get_object", Params={"Bucket": bucket, "Key": cfg["other_prefix"] + "x.txt"}, ExpiresIn=300))
put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": prefix + "v2-put.txt",
                                                          "ContentType": "text/plain"}, ExpiresIn=300)
results["v2_put"] = send("PUT", put_url, [("Content-Type", "text/plain")], b"put by a SigV2 URL")
results["v2_put_get"] = send("GET", s3.generate_presigned_url(
    "get_object", Params={"Bucket": bucket, "Key": prefix + "v2-put.txt"}, ExpiresIn=300))

# --- browser uploads (POST policy) ----------------------------------------------------------------------------------
post_v2 = s3.generate_presigned_post(bucket, prefix + "${filename}",
                                     Conditions=[["content-length-range", 1, 1000]], ExpiresIn=300)
results["post_v2"] = form(post_v2, "form.txt", b"posted by a form")
results["post_v2_get"] = send("GET", s3.generate_presigned_url(
    "get_object", Params={"Bucket": bucket, "Key": prefix + "form.txt"}, ExpiresIn=300))
post_v4 = s3v4.generate_presigned_post(bucket, prefix + "v4form.txt", Fields={"success_action_status": "201"},
                                       Conditions=[{"success_action_status": "201"}], ExpiresIn=300)
results["post_v4"] = form(post_v4, "ignored.txt", b"posted with SigV4")
results["post_v4"]["fields"] = sorted(post_v4["fields"])
redirect = "http://localhost:3000/uploaded?from=form"
post_redirect = s3.generate_presigned_post(bucket, prefix + "redirected.txt",
                                           Fields={"success_action_redirect": redirect},
                                           Conditions=[{"success_action_redirect": redirect}])
results["post_redirect"] = form(post_redirect, "r.txt", b"redirected")
small = s3.generate_presigned_post(bucket, prefix + "small.txt", Conditions=[["content-length-range", 1, 10]])
results["post_too_large"] = form(small, "small.txt", b"x" * 20)
within = s3.generate_presigned_post(bucket, prefix + "a/${filename}", ExpiresIn=300)
results["post_outside_policy"] = form(within, "x.txt", b"x", {"key": prefix + "b.txt"})
results["post_extra_field"] = form(within, "x.txt", b"x", {"x-amz-meta-unsigned": "1"})
results["post_other_user"] = form(s3.generate_presigned_post(bucket, cfg["other_prefix"] + "x.txt"), "x.txt", b"x")
results["post_tampered"] = form(post_v2, "form.txt", b"x", {"signature": "AAAA" + post_v2["fields"]["signature"][4:]})

# --- header signing -------------------------------------------------------------------------------------------------
credentials = Credentials(cfg["key"], cfg["secret"], cfg["token"])
# Encoded as the SDKs send it (the identity id's ':' as %3A); SigV4 for S3 signs the path as sent.
object_url = endpoint.rstrip("/") + "/" + bucket + "/" + urllib.parse.quote(prefix + "v2.txt", safe="/~")
# SigV4Auth (unlike S3SigV4Auth) does not send x-amz-content-sha256.
results["missing_sha256"] = send("GET", object_url, signed_headers(SigV4Auth(credentials, "s3", "us-east-1"),
                                                                   "GET", object_url))
s3_headers = signed_headers(S3SigV4Auth(credentials, "s3", "us-east-1"), "GET", object_url)
results["s3_signed"] = send("GET", object_url, s3_headers)
results["s3_two_authorizations"] = send("GET", object_url, s3_headers + [("Authorization", "garbage")])
repeated = [(k, v + ", Signature=" + "0" * 64 if k.lower() == "authorization" else v) for k, v in s3_headers]
results["s3_repeated_signature"] = send("GET", object_url, repeated)

admin = Credentials(cfg["admin_key"], cfg["admin_secret"])
target = {"X-Amz-Target": "AWSCognitoIdentityProviderService.ListUsers",
          "Content-Type": "application/x-amz-json-1.1"}
list_users = json.dumps({"UserPoolId": cfg["pool_id"], "Limit": 1}).encode()
json_headers = signed_headers(SigV4Auth(admin, "cognito-idp", "us-east-1"), "POST", endpoint, list_users, target)
results["json_signed"] = send("POST", endpoint, json_headers, list_users)
results["json_two_authorizations"] = send("POST", endpoint, json_headers + [("Authorization", "garbage")], list_users)

private_url = cfg["api"].rstrip("/") + "/private"
api_headers = signed_headers(SigV4Auth(credentials, "execute-api", "us-east-1"), "GET", private_url)
results["api_signed"] = send("GET", private_url, api_headers)
results["api_two_authorizations"] = send("GET", private_url, api_headers + [("Authorization", "garbage")])

print(json.dumps(results))
