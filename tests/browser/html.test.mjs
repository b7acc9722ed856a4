// Every HTML file of the built site is valid HTML for the W3C's Nu Html
// Checker (vnu.jar from the npm package vnu-jar, a test dependency only),
// which also catches what browsers forgive but assistive technologies
// trip over: duplicate ids, skipped heading levels, bad ARIA.
//
// The checker runs on Java. Without `java` the test says so and is
// skipped, unless ALIMAP_EXIGER_NAVIGATEUR=1 (CI), where it fails.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { site } from './support.mjs';

const require = createRequire(import.meta.url);
const VNU = join(dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');

const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
const noJava = java.error || java.status !== 0;
if (noJava && process.env.ALIMAP_EXIGER_NAVIGATEUR === '1') {
  throw new Error('`java` is missing (apt-get install default-jre-headless); ALIMAP_EXIGER_NAVIGATEUR=1 requires the HTML check');
}

test('the Nu Html Checker finds no error in any page', { skip: noJava && 'SKIPPED: `java` is not installed' }, () => {
  // The sample site, and the pages of a territory of more than 100 points
  // (summed up, guides per commune) when tests/it/browser.rs built one.
  const grand = process.env.ALIMAP_SITE_GRAND;
  const folders = [site(), ...(grand ? ['territoires', 'guide', 'communes'].map((d) => join(grand, d)) : [])];
  const r = spawnSync('java', ['-Xss2m', '-jar', VNU, '--errors-only', '--skip-non-html', '--format', 'json', ...folders], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(!r.error, String(r.error));
  // vnu writes its JSON report on stderr.
  const report = JSON.parse(r.stderr);
  const errors = report.messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${decodeURI(m.url.replace(/^file:\/*/, '/'))}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(errors, []);
  assert.equal(r.status, 0, 'vnu exits with 0');
});
