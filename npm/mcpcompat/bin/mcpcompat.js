#!/usr/bin/env node
// The mcpcompat launcher: runs the prebuilt binary of this platform, which
// npm installed from the matching @mcpcompat/<os>-<cpu> package among the
// optional dependencies (the pattern of esbuild and biome). Arguments, the
// standard streams, signals and the exit code pass through unchanged.
'use strict';
const { spawn } = require('child_process');

const key = `${process.platform}-${process.arch}`;
const pkg = `@mcpcompat/${key}`;
let bin = process.env.MCPCOMPAT_BINARY;
if (!bin) {
  try {
    bin = require.resolve(`${pkg}/bin/mcpcompat`);
  } catch (e) {
    const built = Object.keys(require('../package.json').optionalDependencies || {});
    console.error(
      built.includes(pkg)
        ? `mcpcompat: ${pkg} is not installed: npm skips optional dependencies with --omit=optional ` +
            `or --no-optional; install again without it`
        : `mcpcompat: no prebuilt binary for ${key} (there are: ${built.join(', ') || 'none'}); ` +
            `build it from source (cmake), or set MCPCOMPAT_BINARY to a mcpcompat binary`
    );
    process.exit(2);
  }
}
const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => child.kill(sig));
}
child.on('error', (e) => {
  console.error(`mcpcompat: cannot run ${bin}: ${e.message}`);
  process.exit(3);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code === null ? 3 : code);
});
