#!/usr/bin/env bash
# Sourced by the CI smokes (scripts/ci-*.sh).

# wait_health PORT PATTERN SECONDS: polls /api/health until its JSON matches PATTERN (grep -E);
# prints the last answer; fails when it never did.
wait_health() {
  local port=$1 pattern=$2 secs=$3 h="" i
  for ((i = 0; i < secs; i++)); do
    h=$(curl -fsS "http://127.0.0.1:$port/api/health" 2>/dev/null || true)
    if echo "$h" | grep -qE "$pattern"; then echo "health: $h"; return 0; fi
    sleep 1
  done
  echo "health: ${h:-<no answer>}"
  return 1
}

# check_client_ip PORT DATABASE_URL: a failed sign-in that claims
# to come from 203.0.113.9 (X-Forwarded-For) must be audited with the socket's address instead —
# Marquee's web server drops a client-sent X-Forwarded-For unless TRUST_PROXY is set.
check_client_ip() {
  local port=$1 url=$2 jar csrf ip
  jar=$(mktemp)
  csrf=$(curl -fsS -c "$jar" "http://127.0.0.1:$port/api/auth/csrf" | sed -E 's/.*"csrfToken":"([^"]+)".*/\1/')
  curl -sS -o /dev/null -b "$jar" -H 'X-Forwarded-For: 203.0.113.9' -H "Origin: http://127.0.0.1:$port" \
    --data-urlencode "csrfToken=$csrf" --data-urlencode 'email=nobody@smoke.test' \
    --data-urlencode 'password=Wrong-Passw0rd!!' --data-urlencode 'json=true' \
    "http://127.0.0.1:$port/api/auth/callback/credentials"
  rm -f "$jar"
  ip=$(psql -qtA "$url" -c "SELECT ip FROM \"AuditLog\" WHERE action = 'auth.sign_in_failed' ORDER BY id DESC LIMIT 1")
  echo "failed sign-in with a spoofed X-Forwarded-For was audited from: ${ip:-<nothing>}"
  [ "$ip" = "127.0.0.1" ] || { echo "smoke: expected the audit to record 127.0.0.1"; return 1; }
}
