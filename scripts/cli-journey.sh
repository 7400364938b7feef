#!/usr/bin/env bash
# The README's AWS CLI journey against a freshly started stack: sign-up, the emailed code in the outbox,
# admin-confirm-sign-up (signed with the admin credentials file), initiate-auth (USER_PASSWORD_AUTH).
# Starts server/target/gatehouse.jar on a free port with a temporary data dir, checks every answer, stops the
# server with SIGTERM, and ends with a line "N passed, M failed". Exits non-zero on any failure.
# Works with AWS CLI v1 and v2. Needs java, aws, and jq (or python3) on PATH.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${GATEHOUSE_JAR:-$root/server/target/gatehouse.jar}"
work="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-journey.XXXXXX")"
passed=0
failed=0
server_pid=""

log() { printf '%s\n' "$*" >&2; }
pass() { passed=$((passed + 1)); log "PASS: $*"; }
fail() { failed=$((failed + 1)); log "FAIL: $*"; }

# Reads a field from a JSON document on stdin: json_field '.A.B'
json_field() {
  if command -v jq >/dev/null 2>&1; then
    jq -r "$1 | if . == null then \"\" else tostring end"
  else
    python3 -c 'import json,sys
value = json.load(sys.stdin)
for part in sys.argv[1].lstrip(".").split("."):
    value = value.get(part) if isinstance(value, dict) else None
print("" if value is None else (str(value).lower() if isinstance(value, bool) else value))' "$1"
  fi
}

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ "$failed" -gt 0 || "${KEEP_WORK:-}" == "1" ]]; then
    log "server log and data kept in $work"
    tail -n 40 "$work/server.log" >&2 2>/dev/null || true
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

finish() {
  echo "$passed passed, $failed failed"
  [[ "$failed" -eq 0 ]]
  exit $?
}

if [[ ! -f "$jar" ]]; then
  log "no $jar: build it first with: mvn -B -q package -DskipTests"
  fail "jar present"
  finish
fi

# --- start the stack -----------------------------------------------------------------------------------------------
java -jar "$jar" --data-dir "$work/data" --aws-port 0 --outputs-file "$work/outputs.json" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  [[ -s "$work/outputs.json" ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ ! -s "$work/outputs.json" ]]; then
  fail "server wrote its outputs file"
  finish
fi
outputs="$(cat "$work/outputs.json")"
endpoint="$(json_field .AwsEndpoint <<<"$outputs")"
region="$(json_field .Region <<<"$outputs")"
pool_id="$(json_field .UserPoolId <<<"$outputs")"
client_id="$(json_field .UserPoolClientId <<<"$outputs")"
credentials="$(json_field .AdminCredentialsFile <<<"$outputs")"
log "stack: $endpoint pool=$pool_id client=$client_id"

# Only the admin credentials file and the region: nothing from the caller's own AWS setup.
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE
export AWS_CONFIG_FILE="$work/aws-config"
printf '[default]\nregion = %s\n' "$region" >"$AWS_CONFIG_FILE"
export AWS_SHARED_CREDENTIALS_FILE="$credentials"
export AWS_DEFAULT_REGION="$region" AWS_REGION="$region" AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true

email="journey-$RANDOM$RANDOM@example.com"
password='Passw0rd!'

# --- 1. sign-up ----------------------------------------------------------------------------------------------------
if out="$(aws cognito-idp sign-up --endpoint-url "$endpoint" --client-id "$client_id" \
    --username "$email" --password "$password" --user-attributes Name=email,Value="$email" --output json 2>&1)"; then
  if [[ "$(json_field .UserConfirmed <<<"$out")" == "false" && -n "$(json_field .UserSub <<<"$out")" ]]; then
    pass "sign-up: UserConfirmed=false, UserSub set"
  else
    fail "sign-up answered: $out"
  fi
else
  fail "sign-up failed: $out"
fi

# --- 2. the confirmation code is in the outbox ---------------------------------------------------------------------
outbox="$work/data/outbox.jsonl"
if [[ -f "$outbox" ]] && grep -F "\"$email\"" "$outbox" | grep -Eq '"code" *: *"[0-9]{6}"'; then
  pass "confirmation code written to $outbox"
else
  fail "no 6-digit code for $email in $outbox"
fi

# --- 3. an unsigned admin call is refused --------------------------------------------------------------------------
if out="$(aws cognito-idp admin-confirm-sign-up --endpoint-url "$endpoint" --user-pool-id "$pool_id" \
    --username "$email" --no-sign-request 2>&1)"; then
  fail "unsigned admin-confirm-sign-up succeeded"
elif grep -q "MissingAuthenticationToken" <<<"$out"; then
  pass "unsigned admin-confirm-sign-up: MissingAuthenticationTokenException"
else
  fail "unsigned admin-confirm-sign-up answered: $out"
fi

# --- 4. admin-confirm-sign-up with the admin credentials file ------------------------------------------------------
if out="$(aws cognito-idp admin-confirm-sign-up --endpoint-url "$endpoint" --user-pool-id "$pool_id" \
    --username "$email" 2>&1)"; then
  pass "admin-confirm-sign-up"
else
  fail "admin-confirm-sign-up failed: $out"
fi

# --- 5. initiate-auth USER_PASSWORD_AUTH ---------------------------------------------------------------------------
if out="$(aws cognito-idp initiate-auth --endpoint-url "$endpoint" --client-id "$client_id" \
    --auth-flow USER_PASSWORD_AUTH --auth-parameters "USERNAME=$email,PASSWORD=$password" --output json 2>&1)"; then
  access="$(json_field .AuthenticationResult.AccessToken <<<"$out")"
  if [[ "$(json_field .AuthenticationResult.TokenType <<<"$out")" == "Bearer" && "$access" == *.*.* \
      && -n "$(json_field .AuthenticationResult.IdToken <<<"$out")" \
      && -n "$(json_field .AuthenticationResult.RefreshToken <<<"$out")" ]]; then
    pass "initiate-auth: id, access and refresh tokens"
  else
    fail "initiate-auth answered without tokens"
  fi
else
  fail "initiate-auth failed: $out"
fi

# --- 6. SIGTERM stops the server cleanly ---------------------------------------------------------------------------
kill -TERM "$server_pid"
status=0
for _ in $(seq 1 300); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$server_pid" 2>/dev/null; then
  fail "server still running 30 s after SIGTERM"
else
  wait "$server_pid" || status=$?
  # 143 = killed by SIGTERM without a handler; the JVM's shutdown hook exits with 143 too, so accept both.
  if [[ "$status" -eq 0 || "$status" -eq 143 ]]; then
    pass "server stopped on SIGTERM (exit $status)"
  else
    fail "server exited with $status on SIGTERM"
  fi
fi
server_pid=""

finish
