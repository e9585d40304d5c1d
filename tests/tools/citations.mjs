// Every evidence citation in the data files resolves (tests/docs.sh).
// usage: node tests/tools/citations.mjs REPO [FILE...]  (default: every
// profile, persona and scenario). Prints one line per problem,
// FILE: KEY: "CITATION": what is wrong and what to cite instead; exit 1 if any.
//
// A citation is one of (docs/evidence/README.md says the same to authors):
//   a URL                          http(s)://…            primary, taken as given
//   an issue or pull request       owner/repo#N, or #N after one in the same text
//   an RFC or spec section         RFC 8252 §7.3, MCP 2025-11-25 …
//   a source path                  src/…/file.ts: the client's source at the
//                                  profile's client_version
//   a recorded trace               traces/NAME.jsonl[:LINE] or NAME.jsonl:LINE:
//                                  fixtures/traces/NAME.jsonl exists, LINE in it;
//                                  or its path, fixtures/…/NAME.jsonl[:LINE] (the
//                                  predictions' traces): it exists, LINE in it
//   the project's evidence         clients.md §N, real-clients.md 2.4,
//                                  spec-matrix.md §4, seed-five-clients.txt …:
//                                  docs/evidence/<name>.md, its section N exists
//   a repository file              fixtures/personas/x.json, tests/…: exists
// A citation of ../shared/… (not in the repository) is an error, as is an
// evidence text with no citation at all.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = process.argv[2];
if (!repo) {
  console.error('usage: citations.mjs REPO [FILE...]');
  process.exit(2);
}
const evidenceDir = join(repo, 'docs/evidence');
const docNames = ['clients', 'real-clients', 'spec-matrix', 'field-2026-12', 'seed-five-clients'];

// the section numbers a document has: "## 1. Title" -> 1, "### 2.4 Title" -> 2.4,
// "### S3: Title" -> S3
const sections = new Map();
function sectionsOf(name) {
  if (sections.has(name)) return sections.get(name);
  const file = join(evidenceDir, `${name}.md`);
  const set = existsSync(file) ? new Set() : null;
  if (set) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^#{2,4} +(§ ?)?([A-Z]?[0-9]+(?:\.[0-9]+)*)[.:]?( |$)/.exec(line);
      if (m) set.add(m[2]);
    }
  }
  sections.set(name, set);
  return set;
}

let rows = null;
function specRows() {
  if (!rows) {
    const f = join(evidenceDir, 'spec-matrix.md');
    rows = new Set(existsSync(f) ? readFileSync(f, 'utf8').match(/\b(S[0-9]+-[0-9]+|X-[0-9]+)\b/g) || [] : []);
  }
  return rows;
}

let traces = null;
function traceNames() {
  if (!traces) {
    const d = join(repo, 'fixtures/traces');
    traces = existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.jsonl')).sort() : [];
  }
  return traces;
}

const traceLines = new Map();
function linesOf(trace) {
  if (!traceLines.has(trace)) {
    const f = join(repo, 'fixtures/traces', trace);
    traceLines.set(trace, existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => l).length : -1);
  }
  return traceLines.get(trace);
}

const problems = [];
function check(file, key, full, strict) {
  let cited = 0;
  // URLs first, and out of the way of the other forms
  const urlRe = /https?:\/\/[^\s)"'<>]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|io|dev|ai|net|co)\/[^\s)"'<>,;]*/g;
  const urls = full.match(urlRe) || [];
  cited += urls.length;
  const text = full.replace(urlRe, ' ');
  const say = (cite, what) => problems.push(`${file}: ${key}: "${cite}": ${what}`);
  if (/\.\.\/(\.\.\/)?shared\//.test(text)) {
    say(text.match(/\S*\.\.\/(\.\.\/)?shared\/\S*/)[0],
      'shared/ is not in the repository: cite docs/evidence/<name>.md (or the primary source) instead');
  }
  // the project's evidence documents, with an optional section
  const docRe = /(?:(?:\.\.\/)*(?:shared\/)?reference\/|docs\/evidence\/)?\b(clients|real-clients|spec-matrix|field-2026-12|seed-five-clients)\.(?:md|txt)(?:,? *(?:§ ?|section )?([A-Z]?[0-9]+(?:\.[0-9]+)*))?/g;
  for (const m of text.matchAll(docRe)) {
    cited++;
    const secs = sectionsOf(m[1]);
    if (!secs) {
      say(m[0], `docs/evidence/${m[1]}.md does not exist`);
    } else if (m[2] && !secs.has(m[2])) {
      say(m[0], `docs/evidence/${m[1]}.md has no section ${m[2]} (it has ${[...secs].join(', ')})`);
    }
  }
  // traces, with an optional line
  // (not the tail of a longer path: fixtures/predictions/traces/…/x.jsonl is a
  // repository file, below)
  const traceRe = /(?<![A-Za-z0-9_.\/-])(?:fixtures\/)?(?:traces\/)?([A-Za-z0-9_.-]+\.jsonl)(?::([0-9]+)(?:-([0-9]+))?)?/g;
  let stem = '';
  for (const m of text.matchAll(traceRe)) {
    let name = m[1];
    if (name.startsWith('-')) {
      if (!stem) continue;
      // "-discovery-fallback.jsonl:3" after "vscode-1.122-default.jsonl" (another
      // mode), or "-reject.jsonl" after "…-strict.jsonl" (a longer name)
      const other = stem + name;
      const longer = traceNames().find((t) => t.startsWith(stem + '-') && t.endsWith(name) && t !== other);
      name = linesOf(other) < 0 && longer ? longer : other;
    } else {
      const v = /^(.*?-[0-9][^-]*)-/.exec(name);
      if (v) stem = v[1];
      if (!m[0].includes('traces/') && !m[2]) continue; // a bare name without a line: not a citation form
    }
    cited++;
    const n = linesOf(name);
    if (n < 0) say(m[0], `fixtures/traces/${name} does not exist`);
    else if (m[2] && Number(m[3] || m[2]) > n) say(m[0], `fixtures/traces/${name} has ${n} lines`);
  }
  // repository files named by path
  const fileRe = /(?<![A-Za-z0-9_.\/-])((?:fixtures|profiles|scenarios|tests)\/[A-Za-z0-9_.\/-]*\.(?:json|jsonl|md|c|h|sh|txt|mjs))\b(?::([0-9]+)(?:-([0-9]+))?)?/g;
  for (const m of text.matchAll(fileRe)) {
    if (/^fixtures\/traces\//.test(m[1]) || /^docs\/evidence\//.test(m[1])) continue; // above
    cited++;
    const p = m[1].replace(/\.$/, '');
    if (!existsSync(join(repo, p)) && !existsSync(join(repo, p.replace(/\/$/, '')))) say(m[0], `${p} is not in the repository`);
    else if (m[2] && p.endsWith('.jsonl')) { // a trace line: it is in the file
      const n = readFileSync(join(repo, p), 'utf8').split('\n').filter((l) => l).length;
      if (Number(m[3] || m[2]) > n) say(m[0], `${p} has ${n} lines`);
    }
  }
  // a row of the spec matrix (S5-10, R4 …): docs/evidence/spec-matrix.md has it
  for (const m of text.matchAll(/\b(S[0-9]+-[0-9]+|X-[0-9]+)\b/g)) {
    cited++;
    if (!specRows().has(m[1])) say(m[1], `docs/evidence/spec-matrix.md has no row ${m[1]}`);
  }
  // primary sources taken as given
  cited += (text.match(/\b[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+ ?(?:(?:PR|pull|issue|discussion) ?)?#[0-9]+/g) || []).length;
  // a package at a version (its source): @scope/name 2.4.0
  cited += (text.match(/@[a-z0-9-]+\/[a-z0-9.-]+ [0-9]+\.[0-9]+/g) || []).length;
  // the project's own issues (issues show N)
  cited += (text.match(/\bmcpcompat issue #[0-9]+/g) || []).length;
  cited += (text.match(/\b(RFC|rfc) ?[0-9]{4}|\bMCP[ -]20[0-9]{2}-[0-9]{2}-[0-9]{2}|\bOAuth 2\.[01]|\bOpenID Connect|\bspec\b|\bSEP-[0-9]+/g) || []).length;
  // source paths (the client's own source at its version)
  cited += (text.match(/\b[A-Za-z0-9_@.*-]+(?:\/[A-Za-z0-9_@.*[\]-]+)*\.(?:ts|tsx|js|mjs|cjs|rs|py|go|java|kt|cs)\b/g) || []).length;
  // an explicit assumption or default is its own kind of evidence
  if (/\b(assum|default|unknown|not known|no evidence|unverified)/i.test(text)) cited++;
  if (!cited && strict) say(text.length > 60 ? text.slice(0, 60) + '…' : text,
    'cites nothing: add a URL, owner/repo#N, a trace line, a source path or docs/evidence/<doc> §N, or say "assumed:"');
}

function walk(file, node, path, inEvidence) {
  if (typeof node === 'string') {
    if (inEvidence) check(file, path, node, !/\.description$|^description$/.test(path));
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((v, i) => walk(file, v, `${path}[${i}]`, inEvidence));
    return;
  }
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      walk(file, v, path ? `${path}.${k}` : k, inEvidence || k === 'evidence' || k === 'description' && /scenarios\//.test(file));
    }
  }
}

let files = process.argv.slice(3);
if (!files.length) {
  for (const dir of ['profiles', 'fixtures/personas', 'scenarios']) {
    for (const f of readdirSync(join(repo, dir)).sort()) {
      if (f.endsWith('.json')) files.push(`${dir}/${f}`);
    }
  }
}
for (const f of files) {
  let data;
  try {
    data = JSON.parse(readFileSync(resolve(repo, f), 'utf8'));
  } catch (e) {
    problems.push(`${f}: not JSON: ${e.message}`);
    continue;
  }
  walk(f, data, '', false);
}
for (const p of problems) console.log(p);
console.error(`citations: ${files.length} files, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
