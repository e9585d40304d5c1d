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
  # (the browser's own pages, chrome://, log too, e.g. "Slow network is
  # detected" on a loaded machine: not the report's)
  # Chromium's "[Intervention] Slow network is detected" also names the
  # report as its source when the loaded machine is slow to render it: the
  # browser's notice about this machine, not a problem of the page.
  grep 'CONSOLE' "$dir/chromium.log" | grep -v 'source: chrome://' |
    grep -v 'Slow network is detected' | sed 's/^/console: /'
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
  # (but the references: to the RFC or spec section, and a recognised stack's documentation
  # (harness/model/stacks.c), opened without a referrer)
  [ "$(dom "$dir" 'count(//a[not(starts-with(@href, "#"))][not(@rel = "noreferrer" and (starts-with(@href, "https://www.rfc-editor.org/rfc/") or starts-with(@href, "https://datatracker.ietf.org/doc/html/") or starts-with(@href, "https://openid.net/specs/") or starts-with(@href, "https://modelcontextprotocol.io/specification/") or @href = "https://github.com/modelcontextprotocol/typescript-sdk/blob/main/docs/serving/authorization.md" or @href = "https://better-auth.com/docs/plugins/mcp" or @href = "https://gofastmcp.com/servers/auth/oauth-proxy" or @href = "https://github.com/cloudflare/workers-oauth-provider"))])')" = 0 ] ||
    echo "a link out of the page"
  for href in $(dom "$dir" '//a[starts-with(@href, "#")]/@href' | sed -E 's/ href="#([^"]*)"/\1\n/g' | sort -u); do
    [ "$(dom "$dir" "count(//*[@id='$href'])")" = 1 ] || echo "a link to #$href, which is not on the page"
  done
}

# layout_problems FILE DIR WIDTH [dark]: the page at WIDTH px (in an iframe
# of that width: headless Chromium's window is at least 500 px wide), light
# or dark (prefers-color-scheme), measured by a script of the test's own
# around it (the report's own policy allows only its own script). Prints
# a horizontal overflow of the page and every visible text whose contrast
# with its ground is below WCAG's AA (4.5:1; 3:1 for large text); nothing
# when the page is clean.
layout_problems() {
  local file=$1 dir=$2 width=$3 dark=${4:-}
  mkdir -p "$dir"
  cp "$file" "$dir/report.html"
  cat >"$dir/wrap.html" <<HTML
<!doctype html><html><body style="margin:0">
<iframe id="f" src="report.html" style="width:${width}px;height:900px;border:0"></iframe>
<pre id="out">not measured</pre>
<script>
function rgba(s) { var m = s.match(/[\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; }
function over(t, u) { var a = t.a + u.a * (1 - t.a); if (!a) return {r: 0, g: 0, b: 0, a: 0};
  return {r: (t.r * t.a + u.r * u.a * (1 - t.a)) / a, g: (t.g * t.a + u.g * u.a * (1 - t.a)) / a, b: (t.b * t.a + u.b * u.a * (1 - t.a)) / a, a: a}; }
function lum(c) { return [c.r, c.g, c.b].map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
  .reduce(function (s, v, i) { return s + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }
function measure() {
  var f = document.getElementById('f'), d = f.contentDocument, w = f.contentWindow, out = [];
  if (!d || !d.documentElement || d.documentElement.getAttribute('data-ready') !== '1') { document.getElementById('out').textContent = 'the report did not load'; return; }
  var de = d.documentElement;
  if (de.scrollWidth > de.clientWidth + 1) {
    out.push('overflow: the page is ' + de.scrollWidth + ' px wide at ' + de.clientWidth + ' px');
    var wide = [];
    d.querySelectorAll('body *').forEach(function (e) { var r = e.getBoundingClientRect(); if (r.right > de.clientWidth + 1 && wide.length < 5 && !e.closest('[style*=overflow]')) wide.push(e.tagName + '.' + e.className + ' (' + Math.round(r.right) + ' px)'); });
    out.push('overflow: widest: ' + wide.join(', '));
  }
  var bad = 0;
  d.querySelectorAll('body *').forEach(function (e) {
    var own = Array.prototype.some.call(e.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
    if (!own || !e.getClientRects().length) return;
    var cs = w.getComputedStyle(e); if (cs.visibility === 'hidden') return;
    var bg = {r: 0, g: 0, b: 0, a: 0}, op = 1;
    for (var a = e; a && a.nodeType === 1; a = a.parentElement) {
      var s = w.getComputedStyle(a); op *= Number(s.opacity);
      if (bg.a < 1) bg = over(bg, rgba(s.backgroundColor));
    }
    bg = over(bg, rgba(w.getComputedStyle(de).backgroundColor).a ? rgba(w.getComputedStyle(de).backgroundColor) : {r: 255, g: 255, b: 255, a: 1});
    bg = over(bg, {r: 255, g: 255, b: 255, a: 1});
    var fg = rgba(cs.color); fg.a *= op; fg = over(fg, bg);
    var l1 = lum(fg), l2 = lum(bg), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    var size = parseFloat(cs.fontSize), large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5) && bad++ < 12)
      out.push('contrast ' + ratio.toFixed(2) + ': ' + e.tagName.toLowerCase() + '.' + e.className + ' "' + e.textContent.trim().slice(0, 40) + '" ' + cs.color + ' on rgb(' + [bg.r, bg.g, bg.b].map(Math.round) + ')');
  });
  if (bad > 12) out.push('contrast: ' + (bad - 12) + ' more');
  document.getElementById('out').textContent = out.length ? out.join('\n') : 'clean';
}
window.addEventListener('load', function () { setTimeout(measure, 200); });
</script></body></html>
HTML
  local flags=("${chromium_flags[@]}" --allow-file-access-from-files --window-size=1024,1000)
  [ -n "$dark" ] && flags+=(--force-dark-mode)
  timeout 90 chromium "${flags[@]}" --user-data-dir="$dir/profile" --virtual-time-budget=5000 \
    --dump-dom "file://$(cd "$dir" && pwd)/wrap.html" >"$dir/wrap-dom.html" 2>"$dir/chromium.log" ||
    { echo "chromium failed: $(tail -3 "$dir/chromium.log")"; return 0; }
  local res
  res=$(xmllint --html --xpath 'string(//pre[@id="out"])' "$dir/wrap-dom.html" 2>/dev/null)
  [ "$res" = clean ] || echo "$res"
}
