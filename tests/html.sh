# Sourced by tests/e2e.sh and tests/targets.sh: an HTML report rendered in
# headless Chromium (Debian's chromium, installed by ci/setup).
#
# render_html FILE DIR: DIR/dom.html (the DOM after the page's own script
# ran), DIR/shot.png (a screenshot), DIR/chromium.log (console messages:
# Chromium logs each as INFO:CONSOLE, CSP violations included) and
# DIR/net.json (Chromium's NetLog of every URL request).
# page_problems DIR: prints every console message, every request the page
# made, every element that would load something, a page whose script did
# not run, an id given twice and every link within the page that leads
# nowhere; nothing when the page is clean.
# dom DIR XPATH: evaluates XPATH on DIR/dom.html.

# No DNS at all: the browser's own background requests cannot leave the
# machine, and the page's requests, if any, show up in the NetLog.
chromium_flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-extensions
  --disable-background-networking --disable-component-update --disable-sync
  --disable-default-apps --disable-domain-reliability --no-pings
  "--host-resolver-rules=MAP * ~NOTFOUND" --enable-logging=stderr --v=0)

render_html() {
  local file=$1 dir=$2
  command -v chromium >/dev/null || { echo "chromium is not installed: run ci/setup"; return 1; }
  mkdir -p "$dir"
  local url="file://$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
  timeout 90 chromium "${chromium_flags[@]}" --user-data-dir="$dir/profile" \
    --log-net-log="$dir/net.json" --dump-dom "$url" >"$dir/dom.html" 2>"$dir/chromium.log" ||
    { echo "chromium --dump-dom failed: $(tail -3 "$dir/chromium.log")"; return 1; }
  timeout 90 chromium "${chromium_flags[@]}" --user-data-dir="$dir/profile" \
    --window-size=1280,1800 --hide-scrollbars --screenshot="$dir/shot.png" "$url" \
    >/dev/null 2>>"$dir/chromium.log" ||
    { echo "chromium --screenshot failed: $(tail -3 "$dir/chromium.log")"; return 1; }
  [ "$(head -c 4 "$dir/shot.png" | tail -c 3)" = PNG ] || { echo "no screenshot"; return 1; }
}

dom() {
  xmllint --html --xpath "$2" "$1/dom.html" 2>/dev/null
}

page_problems() {
  local dir=$1
  grep 'CONSOLE' "$dir/chromium.log" | sed 's/^/console: /'
  # the page's requests name an initiator (a file: page's is "null"); the
  # browser's own say "not an origin"
  jq -r '.constants.logEventTypes.URL_REQUEST_START_JOB as $t
         | .events[] | select(.type == $t and .params.url != null
                              and .params.initiator != "not an origin"
                              and (.params.url | startswith("file:") | not))
         | "request: \(.params.url)"' "$dir/net.json" 2>/dev/null || echo "the NetLog is unreadable"
  local loads
  loads=$(dom "$dir" 'count(//img|//link|//iframe|//frame|//object|//embed|//video|//audio|//source|//script[@src]|//*[@srcset])')
  [ "$loads" = 0 ] || echo "elements that load something: $loads"
  [ "$(dom "$dir" 'string(/html/@data-ready)')" = 1 ] || echo "the page's script did not run"
  local dup
  dup=$(dom "$dir" '//@id' | sed -E 's/ id="([^"]*)"/\1\n/g' | grep . | sort | uniq -d | head -3)
  [ -z "$dup" ] || echo "ids on the page twice: $dup"
  # every link within the page leads somewhere
  local href
  [ "$(dom "$dir" 'count(//a[not(starts-with(@href, "#"))])')" = 0 ] || echo "a link out of the page"
  for href in $(dom "$dir" '//a/@href' | sed -E 's/ href="#([^"]*)"/\1\n/g' | sort -u); do
    [ "$(dom "$dir" "count(//*[@id='$href'])")" = 1 ] || echo "a link to #$href, which is not on the page"
  done
}
