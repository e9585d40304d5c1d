#!/usr/bin/env bash
# mcpcompat's --login-command for glewlwyd (tests/servers/glewlwyd-mcp.mjs):
# glewlwyd's login page is a JavaScript application, so this makes the API
# calls that page makes: POST /api/auth/ (user and password: $PP_USER,
# $PP_PASSWORD), PUT /api/auth/grant/CLIENT (the consent to the scopes asked
# for, separated by spaces: glewlwyd splits the list on spaces,
# set_granted_scopes_for_client in src/scope.c, and answers 401 when no name
# matches a scope of the user, so "openid,mcp:tools" was refused), then the
# authorization URL again with the session cookie, whose redirect is printed.
# usage: glewlwyd-login.sh AUTHORIZATION-URL
set -u
url=${!#}
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
base=${url%%/api/*}
param() { # QUERY NAME: the query parameter, URL-decoded
  local v
  v=$(tr '&' '\n' <<<"$1" | sed -n "s/^$2=//p" | head -1)
  v=${v//+/ }
  printf '%b' "${v//%/\\x}"
}
first=$(curl -s -o /dev/null --max-time 10 -w '%{http_code} %{redirect_url}' "$url")
case $first in
  "302 $base/login.html?"*) login=${first#302 } ;;
  302\ ?*) echo "${first#302 }"; exit 0 ;; # an error sent back to the client
  *) echo "glewlwyd-login: the authorization endpoint answered ${first%% *} without a redirect" >&2; exit 1 ;;
esac
query=${login#*\?}
client=$(param "$query" client_id)
scope=$(param "$query" scope)
callback=$(param "$query" callback_url)
curl -s -f -o /dev/null -c "$jar" -H 'Content-Type: application/json' --max-time 10 \
  -d "$(jq -n --arg u "${PP_USER:?}" --arg p "${PP_PASSWORD:?}" '{username: $u, password: $p}')" "$base/api/auth/" ||
  { echo "glewlwyd-login: login refused" >&2; exit 1; }
curl -s -f -o /dev/null -b "$jar" -X PUT -H 'Content-Type: application/json' --max-time 10 \
  -d "$(jq -n --arg s "$scope" '{scope: ($s | gsub(","; " "))}')" "$base/api/auth/grant/$client/" ||
  { echo "glewlwyd-login: the grant was refused" >&2; exit 1; }
loc=$(curl -s -o /dev/null -b "$jar" --max-time 10 -w '%{redirect_url}' "$callback&g_continue")
[ -n "$loc" ] || { echo "glewlwyd-login: no redirect from the authorization endpoint" >&2; exit 1; }
echo "$loc"
