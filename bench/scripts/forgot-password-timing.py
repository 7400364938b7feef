#!/usr/bin/env python3
"""ForgotPassword timing: existing verified users against unknown names, on a client that hides user existence.

Usage: forgot-password-timing.py OUTPUTS_JSON [SAMPLES]   (the outputs file the server writes with --outputs-file)

Creates SAMPLES users with a verified email (AdminCreateUser, no invitation), then calls ForgotPassword once for each
of them and once for as many unknown names, alternating, each name once (the per-user code budget would otherwise
answer from its limit), and prints the median and spread of each path's client-side latency in milliseconds.
"""
import json
import statistics
import sys
import time
import uuid

import boto3
from botocore import UNSIGNED
from botocore.config import Config


def main():
    outputs = json.load(open(sys.argv[1]))
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 250
    endpoint, region = outputs["AwsEndpoint"], outputs["Region"]
    admin = boto3.client("cognito-idp", endpoint_url=endpoint, region_name=region,
                         **admin_keys(outputs["AdminCredentialsFile"]))
    public = boto3.client("cognito-idp", endpoint_url=endpoint, region_name=region,
                          config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}))
    pool, client = outputs["UserPoolId"], outputs["UserPoolClientId"]
    run = uuid.uuid4().hex[:8]
    known = [f"timing-{run}-{i}@example.com" for i in range(samples)]
    for email in known:
        admin.admin_create_user(UserPoolId=pool, Username=email, MessageAction="SUPPRESS", UserAttributes=[
            {"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}])
    unknown = [f"ghost-{run}-{i}@example.com" for i in range(samples)]
    for i in range(20):  # warm-up, not counted
        public.forgot_password(ClientId=client, Username=f"warm-{run}-{i}@example.com")
    times = {"existing": [], "unknown": []}
    for existing_name, unknown_name in zip(known, unknown):
        for path, name in (("existing", existing_name), ("unknown", unknown_name)):
            start = time.perf_counter()
            public.forgot_password(ClientId=client, Username=name)
            times[path].append((time.perf_counter() - start) * 1000)
    for path, values in times.items():
        values.sort()
        q = statistics.quantiles(values, n=10)
        print(f"{path:9s} n={len(values)} median={statistics.median(values):.3f} ms "
              f"p10={q[0]:.3f} p90={q[-1]:.3f} min={values[0]:.3f} max={values[-1]:.3f}")


def admin_keys(path):
    keys = {}
    for line in open(path):
        if "=" in line:
            name, value = (part.strip() for part in line.split("=", 1))
            keys[name] = value
    return {"aws_access_key_id": keys["aws_access_key_id"], "aws_secret_access_key": keys["aws_secret_access_key"]}


if __name__ == "__main__":
    main()
