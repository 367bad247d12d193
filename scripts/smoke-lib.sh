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

# check_front_door PORT: what scripts/web-server.ts does before Next, in this mode too —
# an unauthenticated upload declaring 5 GB gets its 401 while the client has sent only the
# headers (nothing buffers the body first, no 100 Continue), and a malformed percent-escape in
# an /api path is a 400 JSON error.
check_front_door() {
  local port=$1 got
  got=$(node -e '
    const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1");
    let raw = "";
    s.on("data", (d) => { raw += d; if (raw.includes("\r\n\r\n")) { console.log(raw.split("\r\n")[0]); process.exit(0); } });
    setTimeout(() => { console.log("no answer within 15 s: " + JSON.stringify(raw)); process.exit(0); }, 15000);
    s.write("POST /api/videos HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 5000000000\r\nExpect: 100-continue\r\n\r\n");' "$port")
  echo "unauthenticated 5 GB upload, headers only: $got"
  case "$got" in "HTTP/1.1 401"*) ;; *) echo "smoke: expected a 401 before the body"; return 1 ;; esac
  got=$(curl -sS -o /dev/null -w '%{http_code} %{content_type}' -X PATCH "http://127.0.0.1:$port/api/servers/abc%")
  echo "PATCH /api/servers/abc%: $got"
  case "$got" in "400 application/json"*) ;; *) echo "smoke: expected 400 JSON"; return 1 ;; esac
}
