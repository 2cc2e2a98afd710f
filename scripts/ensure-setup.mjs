#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs what a fresh machine lacks, or says exactly what
// to install. Plain Node, no dependencies: it runs before node_modules exists.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const run = (cmd) => execSync(cmd, { stdio: 'inherit', cwd: root });

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('[setup] node_modules missing: running npm ci');
  run('npm ci --no-audit --no-fund');
}

const hasJava = () => spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
if (!hasJava()) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    console.log('[setup] Java runtime missing (DynamoDB Local needs it): installing openjdk-17-jre-headless');
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null');
  } else {
    console.error(
      '[setup] DynamoDB Local needs a Java runtime (17 or newer) and none was found on PATH.\n' +
        '        Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '        macOS:         brew install openjdk@17\n' +
        '        Then run the command again.',
    );
    process.exit(1);
  }
}

// Only `npm test` needs a browser (the reveal page's tests); `npm start` should not install one.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (process.env.npm_lifecycle_event === 'pretest' && !existsSync(chromiumPath)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt && !process.env.CHROMIUM_PATH) {
    console.log('[setup] Chromium missing (the browser tests need it): installing chromium and fonts-noto-core');
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null');
  } else {
    console.error(
      `[setup] The browser tests need Chromium at ${chromiumPath} and it is not there.\n` +
        '        Debian/Ubuntu: sudo apt-get install -y chromium fonts-noto-core\n' +
        '        elsewhere:     set CHROMIUM_PATH to a Chromium or Chrome binary.\n' +
        '        Then run the command again.',
    );
    process.exit(1);
  }
}
