#!/usr/bin/env python3
"""ForgotPassword timing: existing verified users against unknown names, on a client that hides user existence.

Usage: forgot-password-timing.py OUTPUTS_JSON [OUTPUTS_JSON...] [SAMPLES]
(each the outputs file a server wrote with --outputs-file; two servers, say before and after a change, are measured
in turn call by call, so that the load of a shared machine falls on both alike)

Creates SAMPLES users with a verified email (AdminCreateUser, no invitation) on each server, then calls ForgotPassword
once for each of them and once for as many unknown names, alternating, each name once (the per-user code budget
would otherwise answer from its limit), and prints the median and spread of each path's client-side latency in ms.
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
    files = [a for a in sys.argv[1:] if not a.isdigit()]
    samples = next((int(a) for a in sys.argv[1:] if a.isdigit()), 250)
    stacks = [Stack(path, samples) for path in files]
    # One call of each path of each stack in turn, so machine load falls on all of them alike.
    for i in range(samples):
        for stack in stacks:
            stack.call("existing", stack.known[i])
            stack.call("unknown", stack.unknown[i])
    for stack in stacks:
        for path, values in stack.times.items():
            values.sort()
            q = statistics.quantiles(values, n=10)
            print(f"{stack.name} {path:9s} n={len(values)} median={statistics.median(values):.3f} ms "
                  f"p10={q[0]:.3f} p90={q[-1]:.3f} min={values[0]:.3f} max={values[-1]:.3f}")


class Stack:
    """One running server: its users with a verified email, unknown names, and the times measured."""

    def __init__(self, path, samples):
        outputs = json.load(open(path))
        self.name = path
        endpoint, region = outputs["AwsEndpoint"], outputs["Region"]
        admin = boto3.client("cognito-idp", endpoint_url=endpoint, region_name=region,
                             **admin_keys(outputs["AdminCredentialsFile"]))
        self.public = boto3.client("cognito-idp", endpoint_url=endpoint, region_name=region,
                                   config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}))
        pool, self.client = outputs["UserPoolId"], outputs["UserPoolClientId"]
        run = uuid.uuid4().hex[:8]
        self.known = [f"timing-{run}-{i}@example.com" for i in range(samples)]
        for email in self.known:
            admin.admin_create_user(UserPoolId=pool, Username=email, MessageAction="SUPPRESS", UserAttributes=[
                {"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}])
        self.unknown = [f"ghost-{run}-{i}@example.com" for i in range(samples)]
        for i in range(20):  # warm-up, not counted
            self.public.forgot_password(ClientId=self.client, Username=f"warm-{run}-{i}@example.com")
        self.times = {"existing": [], "unknown": []}

    def call(self, path, name):
        start = time.perf_counter()
        self.public.forgot_password(ClientId=self.client, Username=name)
        self.times[path].append((time.perf_counter() - start) * 1000)


def admin_keys(path):
    keys = {}
    for line in open(path):
        if "=" in line:
            name, value = (part.strip() for part in line.split("=", 1))
            keys[name] = value
    return {"aws_access_key_id": keys["aws_access_key_id"], "aws_secret_access_key": keys["aws_secret_access_key"]}


if __name__ == "__main__":
    main()
