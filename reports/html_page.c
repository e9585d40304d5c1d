/* The HTML report: one self-contained page through libxml2's xmlTextWriter
 * (library escaping of every string; the target's strings only ever become
 * text or attribute values). The page's own style and script are constants;
 * a Content-Security-Policy allows that script by its hash and nothing
 * else: no network access, no other script, even if a string slipped
 * through. */
#include "html_int.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* The style, in pieces (C11 caps a string literal's length). */
static const char *const css[] = {
    ":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;"
    "--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--warn:#9a6700;"
    "--warn-bg:#fff8c5;--skip:#656d76;--accent:#0969da}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',"
    "Arial,sans-serif;color:var(--fg);background:var(--soft)}"
    "header{background:#24292f;color:#fff;padding:20px 32px}"
    "header h1{margin:0;font-size:20px;font-weight:600;letter-spacing:.2px}",
    "header .sub{color:#c9d1d9;margin-top:4px;word-break:break-all}"
    ".chips{margin-top:12px;display:flex;gap:8px;flex-wrap:wrap}"
    ".chip{border-radius:999px;padding:2px 10px;font-size:12px;font-weight:600;"
    "background:#3d444d;color:#fff}"
    ".chip.pass{background:var(--pass)}.chip.broke{background:var(--fail)}"
    "main{max-width:1180px;margin:0 auto;padding:24px 32px 64px}"
    "section{background:var(--bg);border:1px solid var(--line);border-radius:8px;"
    "padding:16px 20px;margin-bottom:20px}",
    "h2{font-size:16px;margin:0 0 12px}h3{font-size:15px;margin:0}"
    "table{border-collapse:collapse;width:100%}"
    "th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.4px;"
    "color:var(--muted);font-weight:600;border-bottom:1px solid var(--line);padding:6px 8px}"
    "td{border-bottom:1px solid var(--line);padding:7px 8px;vertical-align:top}"
    "tr:last-child td{border-bottom:0}"
    "a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}"
    "code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',",
    "monospace;font-size:12.5px}"
    ".badge{display:inline-block;white-space:nowrap;min-width:52px;text-align:center;border-radius:"
    "4px;"
    "padding:1px 6px;font-size:12px;font-weight:700;letter-spacing:.3px}"
    ".badge.pass{color:var(--pass);background:var(--pass-bg)}"
    ".badge.broke,.badge.fail{color:var(--fail);background:var(--fail-bg)}"
    ".badge.warn{color:var(--warn);background:var(--warn-bg)}"
    ".badge.skip,.badge.error{color:var(--skip);background:var(--soft)}"
    ".muted{color:var(--muted)}.small{font-size:12px}",
    ".why{max-width:560px;overflow-wrap:anywhere}.remedy{color:var(--muted);font-size:12.5px;"
    "margin-top:2px}"
    ".finding{border-left:3px solid var(--warn);padding:6px 12px;margin:10px 0}"
    ".finding.FAIL,.finding.BROKE{border-color:var(--fail)}"
    ".finding dl{display:grid;grid-template-columns:80px minmax(0,1fr);gap:2px 12px;margin:6px 0 0}"
    ".finding dt{color:var(--muted);font-size:12px}.finding dd{margin:0;overflow-wrap:anywhere}"
    ".client{scroll-margin-top:12px}"
    ".client-head{display:flex;align-items:center;gap:12px;flex-wrap:wrap}"
    ".steps{display:flex;gap:4px;flex-wrap:wrap;margin:10px 0 14px}",
    ".steps a{font-size:12px;border-radius:4px;padding:2px 8px;border:1px solid var(--line);"
    "color:var(--fg)}"
    ".steps .pass{background:var(--pass-bg);border-color:#aceebb}"
    ".steps .warn{background:var(--warn-bg);border-color:#f5e0a0}"
    ".steps .fail{background:var(--fail);border-color:var(--fail);color:#fff;font-weight:600}"
    ".steps .skip{color:var(--skip);border-style:dashed}"
    ".note{background:var(--warn-bg);border-radius:6px;padding:6px 10px;margin:8px 0}"
    ".seq{border:1px solid var(--line);border-radius:6px;overflow:hidden}",
    ".lanes,.row{display:grid;grid-template-columns:repeat(8,1fr)}"
    ".lanes{background:var(--soft);border-bottom:1px solid var(--line);padding:8px 0}"
    ".lane{grid-column:span 2;text-align:center;font-weight:600;font-size:12.5px}"
    ".row,.band{background-image:linear-gradient(90deg,transparent calc(12.5% - 1px),#d8dee4 "
    "calc(12.5% - 1px),#d8dee4 calc(12.5% + 1px),transparent calc(12.5% + 1px),transparent "
    "calc(37.5% - 1px),#d8dee4 calc(37.5% - 1px),#d8dee4 calc(37.5% + 1px),transparent "
    "calc(37.5% + 1px),transparent calc(62.5% - 1px),#d8dee4 calc(62.5% - 1px),#d8dee4 "
    "calc(62.5% + 1px),transparent calc(62.5% + 1px),transparent calc(87.5% - 1px),#d8dee4 ",
    "calc(87.5% - 1px),#d8dee4 calc(87.5% + 1px),transparent calc(87.5% + 1px))}"
    ".band{display:flex;gap:10px;align-items:baseline;padding:5px 10px;font-size:12px;"
    "border-top:1px dashed var(--line);color:var(--muted);scroll-margin-top:12px}"
    ".band b{color:var(--fg);text-transform:uppercase;letter-spacing:.5px;font-size:11px;"
    "background:var(--bg);padding:0 4px}"
    ".band.fail{background-color:var(--fail-bg);color:var(--fail)}"
    ".band.fail b{color:var(--fail);background:var(--fail-bg)}"
    ".band.fail{background-image:none}.band.skip{font-style:italic}",
    "details.msg>summary{list-style:none;cursor:pointer;padding:0}"
    "details.msg>summary::-webkit-details-marker{display:none}"
    "details.msg>summary:hover .arrow{color:var(--accent)}"
    ".arrow{position:relative;height:34px;border-bottom:2px solid currentColor;color:#57606a;"
    "display:flex;align-items:flex-end;justify-content:center;gap:6px;padding-bottom:2px;"
    "margin-bottom:8px;white-space:nowrap;min-width:0}"
    ".arrow::after{content:'';position:absolute;bottom:-6px;right:-1px;border-left:10px solid "
    "currentColor;border-top:5px solid transparent;border-bottom:5px solid transparent}",
    ".arrow.rev::after{right:auto;left:-1px;border-left:0;border-right:10px solid currentColor}"
    ".arrow .lbl{color:var(--fg);overflow:hidden;text-overflow:ellipsis;background:var(--bg);"
    "padding:0 4px;border-radius:3px}"
    ".arrow .code{font-weight:700;border-radius:3px;padding:0 5px;font-size:11.5px}"
    ".code.ok{color:var(--pass);background:var(--pass-bg)}"
    ".code.redir{color:var(--accent);background:#ddf4ff}"
    ".code.err{color:var(--fail);background:var(--fail-bg)}"
    ".code.other{color:#57606a;background:#eaeef2}"
    ".handoff .arrow{border-bottom-style:dotted;color:#8c959f;height:28px}",
    ".handoff .lbl{color:var(--muted);font-style:italic}"
    ".msg[open] .arrow{color:var(--accent)}"
    ".msg.fail .arrow,.missing .arrow{color:var(--fail);border-bottom-width:3px}"
    ".missing .arrow{border-bottom-style:dashed}"
    ".msg.fail .lbl::before,.missing .lbl::before{content:'\\2715  ';color:var(--fail);"
    "font-weight:700}"
    ".ex{grid-column:1/-1;margin:0 10px 10px;border:1px solid var(--line);border-radius:6px;"
    "background:var(--soft);padding:8px 12px;display:grid;grid-template-columns:1fr 1fr;gap:12px}",
    ".ex h4{margin:0 0 4px;font-size:12px;color:var(--muted);text-transform:uppercase}"
    ".ex pre{margin:0 0 6px;white-space:pre-wrap;word-break:break-all;background:var(--bg);"
    "border:1px solid var(--line);border-radius:4px;padding:6px 8px;max-height:360px;"
    "overflow:auto}"
    ".toolbar{float:right}.toolbar button{font:inherit;font-size:12px;border:1px solid "
    "var(--line);background:var(--bg);border-radius:6px;padding:2px 10px;cursor:pointer;"
    "margin-left:6px}"
    ".heat td.cell{text-align:center;padding:4px}",
    ".heat a,.heat span.ok{display:block;border-radius:4px;padding:4px 6px;font-weight:600;"
    "font-size:12.5px}"
    ".heat span.ok{background:var(--pass-bg);color:var(--pass)}"
    ".heat a.broke{background:var(--fail);color:#fff}"
    ".heat th.pol{text-align:center;font-size:11px;max-width:40px;vertical-align:bottom;"
    "text-transform:none}.heat th.pol a.vert{display:inline-block;writing-mode:vertical-rl;"
    "transform:rotate(180deg);white-space:nowrap;max-height:190px;overflow:hidden;"
    "text-overflow:ellipsis;padding:2px 0;font-weight:600}.heat "
    "td.name{white-space:nowrap;padding-right:16px}"
    "table.heat{display:block;overflow-x:auto}.heat tr.totals th{text-transform:none}"
    ".suite-head{margin:18px 0 8px}.policies{margin-top:14px}.policies td{padding:3px "
    "8px;overflow-wrap:anywhere}"
    ":target{outline:2px solid var(--accent);outline-offset:2px}"
    "footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}"
    "@media print{.toolbar{display:none}body{background:#fff}}"
    ".chip.expected{background:#6e40c9}.verdict{margin-top:8px;color:#e6edf3}"
    ".badge.expected{color:#6e40c9;background:#f3eefc}"
    ".refs a{word-break:break-word}.legend{margin-top:10px}",
    /* dark: the same roles, colors with at least 4.5:1 against their ground */
    "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--line:#3d444d;"
    "--bg:#151b23;--soft:#0d1117;--pass:#3fb950;--pass-bg:#0f2d1a;--fail:#ff7b72;"
    "--fail-bg:#3a1517;--warn:#e3b341;--warn-bg:#33290b;--skip:#9da7b3;--accent:#58a6ff}"
    "header{background:#010409}.chip.pass{background:#238636}.chip.broke{background:#b62324}"
    ".chip.expected{background:#8957e5}.badge.expected{color:#d2a8ff;background:#2a1b4a}"
    ".arrow{color:#9da7b3}.code.redir{background:#0c2d6b;color:#79c0ff}"
    ".code.other{background:#2d333b;color:#c9d1d9}.handoff .arrow{color:#7d8590}"
    ".steps .pass{border-color:#2ea043}.steps .warn{border-color:#9e6a03}"
    ".steps .fail{color:#0d1117}.heat a.broke{color:#0d1117}"
    ".toolbar button{color:var(--fg)}}",
    /* narrow screens (a phone is 360 px): one column, tables scroll in place */
    "@media (max-width:640px){header{padding:14px 12px}main{padding:12px 8px 40px}"
    "section{padding:12px 10px}table"
    "{display:block;overflow-x:auto}"
    "table.scoreboard,table.scoreboard tbody{display:block}"
    "table.scoreboard tr{display:grid;grid-template-columns:1fr auto;gap:2px 8px;"
    "border-bottom:1px solid var(--line);padding:6px 0}"
    "table.scoreboard thead{display:none}table.scoreboard td{border:0;padding:2px 4px}"
    "table.scoreboard td.why{grid-column:1/-1;max-width:none}"
    /* the matrix: client names wrap and stay in view while the cells scroll */
    ".heat td.name,.heat tr.totals th{white-space:normal;min-width:7.5em;position:sticky;"
    "left:0;background:var(--bg);z-index:1}"
    ".ex{grid-template-columns:1fr}.finding dl{grid-template-columns:minmax(0,1fr)}"
    ".arrow .lbl{font-size:11px}.lane{font-size:11px}.toolbar{float:none;display:block;"
    "margin-bottom:8px}}",
};

/* Marks the page as rendered, expands or collapses every exchange, opens
 * the exchange a link points at. */
static const char script[] =
    "(function(){var d=document;d.documentElement.setAttribute('data-ready','1');"
    "function all(o){d.querySelectorAll('details.msg').forEach(function(x){x.open=o;});}"
    "d.querySelectorAll('button[data-expand]').forEach(function(b){"
    "b.addEventListener('click',function(){all(b.getAttribute('data-expand')==='1');});});"
    "function hash(){var e=location.hash?d.getElementById(location.hash.slice(1)):null;"
    "if(e&&e.tagName==='DETAILS')e.open=true;}"
    "addEventListener('hashchange',hash);hash();})();";

/* Begins the page: doctype, head with the policy, style and title. */
W mc_html_page_begin(const char *path, const char *title, mc_out *f)
{
    /* opened here so that a bad path is one line from the caller, not
     * libxml2's own messages; written whole or not at all (file.c) */
    if (!mc_out_open(f, path))
        return NULL;
    W w = xmlNewTextWriter(xmlOutputBufferCreateIO(mc_out_write, NULL, f, NULL));
    if (!w) {
        mc_out_close(f, 0);
        return NULL;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_Digest(script, strlen(script), md, &mdlen, EVP_sha256(), NULL);
    char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    EVP_EncodeBlock((unsigned char *)b64, md, (int)mdlen);
    char *csp = mc_xasprintf("default-src 'none'; style-src 'unsafe-inline'; "
                             "script-src 'sha256-%s'; base-uri 'none'; form-action 'none'",
                             b64);
    xmlTextWriterWriteRaw(w, BAD_CAST "<!DOCTYPE html>\n");
    open_el(w, "html", NULL);
    attr(w, "lang", "en");
    open_el(w, "head", NULL);
    open_el(w, "meta", NULL);
    attr(w, "charset", "utf-8");
    xmlTextWriterEndElement(w);
    open_el(w, "meta", NULL);
    attr(w, "http-equiv", "Content-Security-Policy");
    attr(w, "content", csp);
    xmlTextWriterEndElement(w);
    free(csp);
    open_el(w, "meta", NULL);
    attr(w, "name", "viewport");
    attr(w, "content", "width=device-width, initial-scale=1");
    xmlTextWriterEndElement(w);
    el(w, "title", NULL, title);
    open_el(w, "style", NULL);
    for (size_t i = 0; i < sizeof css / sizeof *css; i++)
        xmlTextWriterWriteRaw(w, BAD_CAST css[i]); /* constants without '<' */
    end(w);
    end(w); /* head */
    open_el(w, "body", NULL);
    return w;
}

/* Ends the page with the script; 0, or -1 when the file could not be
 * written. */
int mc_html_page_end(W w, mc_out *f)
{
    open_el(w, "footer", NULL);
    text(w, "mcpcompat: secrets are redacted; the JSON report (--json) has every byte.");
    end(w);
    open_el(w, "script", NULL);
    xmlTextWriterWriteRaw(w, BAD_CAST script); /* a constant, allowed by its hash */
    end(w);
    end(w); /* body */
    end(w); /* html */
    int rc = xmlTextWriterWriteRaw(w, BAD_CAST "\n") < 0 ? -1 : 0;
    rc |= xmlTextWriterFlush(w) < 0 ? -1 : 0;
    xmlFreeTextWriter(w);
    return mc_out_close(f, rc == 0);
}

void mc_html_header(W w, const char *title, const char *sub, int pass, int broke)
{
    open_el(w, "header", NULL);
    el(w, "h1", NULL, title);
    el(w, "div", "sub", sub);
    open_el(w, "div", "chips");
    if (pass >= 0) {
        char *s = mc_xasprintf("%d passed", pass);
        el(w, "span", "chip pass", s);
        free(s);
        s = mc_xasprintf("%d broke", broke);
        el(w, "span", "chip broke", s);
        free(s);
    }
    end(w);
    end(w);
}
