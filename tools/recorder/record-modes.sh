#!/bin/bash
# Records one client in the standard modes, one after another (clients with a
# fixed callback port cannot run two logins at once):
#
#   record-modes.sh CLIENT PORT [MODE...]
#
# default, strict-redirect, no-dcr, no-dcr-static-client, discovery-fallback,
# cimd, bad-iss, scope-sources, refresh; each mode's recorder gets PORT+i.
# Six more modes are recorded when named (and for vscode by default):
# public-lifecycle (initialize public, tools/list protected), step-up-403
# (tools/list needs one more scope: 403 insufficient_scope), root-prm-origin
# (only a root PRM, naming the origin, and no hint), prm-no-as (a PRM without
# authorization_servers), protocol-header-required (an MCP POST without
# MCP-Protocol-Version is 400), as-metadata-fails (the PRM-named AS, at a path,
# has no metadata document).
# no-dcr-static-client-any-port and no-dcr-static-public-any-port (a
# confidential or a public static client, the redirect accepted on any port:
# for Auggie, whose callback port is random) are asked for by name.
# The issuer modes are asked for by name: issuer-host, issuer-path-dropped,
# issuer-slash-prm, issuer-slash-metadata, issuer-tenant (the AS metadata
# `issuer` differs from the issuer the resource metadata names, in each real
# product's shape; recorder --metadata-issuer) and iss-omitted (iss advertised
# but absent from the authorization response).
# The static client is "peers-static" (secret "peers-static-secret", both
# throwaway values of the recorder) registered with the redirect URI the
# client is configured to use. Environment as for run-client.sh.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
client=$1 port=$2; shift 2
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(default strict-redirect no-dcr no-dcr-static-client
  discovery-fallback cimd bad-iss scope-sources refresh)
[ $# -gt 0 ] || [ "$client" != vscode ] ||
  modes+=(public-lifecycle step-up-403 root-prm-origin prm-no-as protocol-header-required as-metadata-fails)
SID=peers-static SEC=peers-static-secret
i=0
for mode in "${modes[@]}"; do
  p=$((port + i)); i=$((i + 1))
  flags=() env=()
  # Gemini CLI and its fork refuse an authorization response without iss
  case $client in gemini | qwen) [ "$mode" = bad-iss ] || flags+=(--iss-param) ;; esac
  case $mode in
  strict-redirect) flags+=(--strict-redirect) ;;
  no-dcr) flags+=(--no-dcr) ;;
  no-dcr-static-client)
    flags+=(--no-dcr --strict-redirect --static-client $SID --static-secret $SEC)
    case $client in
    opencode | kilo)
      flags+=(--static-redirect http://127.0.0.1:19876/mcp/oauth/callback)
      env+=("OPENCODE_OAUTH={\"clientId\": \"$SID\", \"clientSecret\": \"$SEC\"}") ;;
    codex)
      # the per-server callback id is stable for the name "rec" and the URL
      flags+=(--static-redirect "http://127.0.0.1:7790/callback/${CODEX_CALLBACK_ID:-0rIJUtXznrDc}")
      env+=("CLIENT_ARGS=--oauth-client-id $SID --oauth-client-secret $SEC -c mcp_oauth_callback_port=7790") ;;
    vscode)
      # the remote flow's one redirect URI; VS Code asks for the id and
      # secret in two input boxes after "Copy URIs & Proceed"
      flags+=(--static-redirect https://vscode.dev/redirect)
      env+=("CLIENT_ID=$SID" "CLIENT_SECRET=$SEC") ;;
    cline)
      flags+=(--static-redirect http://127.0.0.1:1456/mcp/oauth/callback)
      env+=("CLINE_CLIENT_ID=$SID" "CLINE_CLIENT_SECRET=$SEC") ;;
    copilot)
      # a public client: a secret would be asked for in the TUI
      flags=(--no-dcr --strict-redirect --static-client $SID --static-redirect http://127.0.0.1:7796/)
      env+=("COPILOT_SERVER=\"oauthClientId\": \"$SID\", \"oauthPublicClient\": true, \"auth\": {\"redirectPort\": 7796}") ;;
    mcpc)
      # the first free port from 8000 up
      flags+=(--static-redirect http://localhost:8000/callback)
      env+=("CLIENT_ARGS=--client-id $SID --client-secret $SEC") ;;
    claude)
      # `claude mcp add --client-id X --client-secret --callback-port N`
      # reads the secret from MCP_CLIENT_SECRET
      flags+=(--static-redirect http://localhost:7792/callback)
      env+=("CLIENT_ARGS=--client-id $SID --client-secret --callback-port 7792" "MCP_CLIENT_SECRET=$SEC") ;;
    sdk2)
      flags+=(--static-redirect http://localhost:8899/callback)
      env+=("CLIENT_ARGS=--client-id $SID --client-secret $SEC") ;;
    qwen)
      # its callback listener is always 127.0.0.1:7777, whatever redirectUri says
      flags+=(--static-redirect http://localhost:7777/oauth/callback)
      env+=("GEMINI_OAUTH={\"enabled\": true, \"clientId\": \"$SID\", \"clientSecret\": \"$SEC\", \"redirectUri\": \"http://localhost:7777/oauth/callback\"}") ;;
    esac ;;
  no-dcr-static-client-any-port)
    # a static client for a client whose callback port is random per login
    # (Auggie): the recorder accepts its redirect on any port (no
    # --strict-redirect), the registered URI is the port-less one
    flags+=(--no-dcr --static-client $SID --static-secret $SEC --static-redirect http://localhost/callback)
    case $client in
    auggie) env+=("AUGGIE_SERVER=\"clientId\": \"$SID\", \"clientSecret\": \"$SEC\"") ;;
    esac ;;
  no-dcr-static-public-any-port)
    # the same with a public client (an id, no secret)
    flags+=(--no-dcr --static-client $SID --static-redirect http://localhost/callback)
    case $client in
    auggie) env+=("AUGGIE_SERVER=\"clientId\": \"$SID\"") ;;
    esac ;;
  discovery-fallback) flags+=(--issuer-path /as --no-path-prm --no-rm-hint --as-meta oidc-append) ;;
  cimd) flags+=(--cimd) ;;
  bad-iss) flags+=(--bad-iss) ;;
  issuer-host | issuer-path-dropped | issuer-slash-prm | issuer-slash-metadata) flags+=(--metadata-issuer "${mode#issuer-}") ;;
  issuer-tenant) flags+=(--metadata-issuer tenant --as-meta oidc-append) ;;
  iss-omitted) flags+=(--iss-omitted) ;;
  scope-sources) flags+=(--prm-scopes prm:a --as-scopes as:b --www-scopes www:c) ;;
  refresh)
    flags+=(--token-ttl 4)
    env+=(AGAIN_AFTER=7) ;;
  public-lifecycle) flags+=(--public-lifecycle) ;;
  step-up-403) flags+=(--step-up-list mcp:extra) ;;
  root-prm-origin) flags+=(--no-path-prm --no-rm-hint --prm-resource origin) ;;
  prm-no-as) flags+=(--prm-no-as) ;;
  protocol-header-required) flags+=(--require-protocol-header) ;;
  as-metadata-fails) flags+=(--issuer-path /as --as-meta none) ;;
  esac
  # VS Code shows a modal when registration is impossible: the driver
  # cancels it (or types the static client), then waits for nothing more
  [ "$client" != vscode ] || case $mode in no-dcr | discovery-fallback | as-metadata-fails) env+=(WAIT_S=30) ;; esac
  # codex's static client id depends on the server URL: keep the recorded one
  [ "$client/$mode" = codex/no-dcr-static-client ] && p=9505
  env "${env[@]}" "$HERE/run-client.sh" "$client" "$mode" "$p" "${flags[@]}"
done
