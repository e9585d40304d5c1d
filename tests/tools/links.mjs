// Every relative link in README.md and docs/**/*.md resolves in the
// repository: the file exists and, for a #fragment into a Markdown file, a
// heading gives that anchor (GitHub's rule: lower case, spaces to hyphens,
// punctuation dropped). Links out (http, https, mailto) are not followed.
// usage: node tests/tools/links.mjs REPO [FILE...]; one line per broken link.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname, relative, resolve } from 'node:path';

const repo = process.argv[2];
let files = process.argv.slice(3);
function walk(dir) {
  for (const f of readdirSync(join(repo, dir)).sort()) {
    const p = join(dir, f);
    if (statSync(join(repo, p)).isDirectory()) walk(p);
    else if (f.endsWith('.md')) files.push(p);
  }
}
if (!files.length) {
  files.push('README.md');
  if (existsSync(join(repo, 'docs'))) walk('docs');
}
const anchors = new Map();
function anchorsOf(file) {
  if (!anchors.has(file)) {
    const set = new Set();
    const seen = new Map();
    let fence = false;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/^```/.test(line)) fence = !fence;
      const m = !fence && /^#{1,6} +(.*?) *#*$/.exec(line);
      if (!m) continue;
      let a = m[1].toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
      const n = seen.get(a) || 0;
      seen.set(a, n + 1);
      set.add(n ? `${a}-${n}` : a);
    }
    anchors.set(file, set);
  }
  return anchors.get(file);
}
const problems = [];
for (const f of files) {
  const text = readFileSync(resolve(repo, f), 'utf8').replace(/```[\s\S]*?```/g, '');
  for (const m of text.matchAll(/\[[^\]]*\]\(([^)\s]+)(?: "[^"]*")?\)/g)) {
    const target = m[1];
    if (/^(https?:|mailto:)/.test(target)) continue;
    const [path, frag] = target.split('#');
    const abs = path ? resolve(repo, dirname(f), path) : resolve(repo, f);
    if (!existsSync(abs)) {
      problems.push(`${f}: ${target}: ${relative(repo, abs)} does not exist`);
    } else if (frag && abs.endsWith('.md') && !anchorsOf(abs).has(frag)) {
      problems.push(`${f}: ${target}: no heading gives #${frag} in ${relative(repo, abs)}`);
    }
  }
  if (/\.\.\/(\.\.\/)?shared\/[A-Za-z]/.test(text)) problems.push(`${f}: names ../shared/, which is not in the repository`);
}
for (const p of problems) console.log(p);
console.error(`links: ${files.length} files, ${problems.length} broken`);
process.exit(problems.length ? 1 : 0);
