// Unit tests of the client options (out/config.js, compiled from src/config.ts).
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const cfg = require('../out/config.js');
const pkg = require('../package.json');

const files = (...present) => (p) => present.includes(p);

test('the berth.path setting wins, and a wrong one is reported', () => {
  const r = cfg.resolveServer('/opt/berth/bin/berth', '/ext', '/usr/bin', files('/opt/berth/bin/berth', '/usr/bin/berth'));
  assert.deepEqual(r, { ok: true, command: '/opt/berth/bin/berth', from: 'setting' });
  const bad = cfg.resolveServer('/nope/berth', '/ext', '/usr/bin', files('/usr/bin/berth'));
  assert.equal(bad.ok, false);
  assert.match(bad.message, /"berth\.path".*\/nope\/berth/);
});

test('then the bundled binary, then PATH, then a clear message', () => {
  const bundled = path.join('/ext', 'server', 'berth');
  assert.deepEqual(cfg.resolveServer('', '/ext', '/a:/usr/bin', files(bundled, '/usr/bin/berth')),
    { ok: true, command: bundled, from: 'bundled' });
  assert.deepEqual(cfg.resolveServer('  ', '/ext', '/a:/usr/bin', files('/usr/bin/berth')),
    { ok: true, command: '/usr/bin/berth', from: 'path' });
  const missing = cfg.resolveServer(undefined, '/ext', '/a:/b', files());
  assert.equal(missing.ok, false);
  assert.match(missing.message, /not found.*berth\.path/s);
});

test('the server runs as `berth lsp` over stdio (the client appends --stdio)', () => {
  const o = cfg.serverOptions('/usr/bin/berth');
  assert.equal(o.command, '/usr/bin/berth');
  assert.deepEqual(o.args, ['lsp']);
  assert.equal(o.transport, 0); // TransportKind.stdio
  // The client library needs VS Code to load: read the enum's value from it.
  const src = require('node:fs').readFileSync(require.resolve('vscode-languageclient/lib/node/main.js'), 'utf8');
  assert.match(src, /TransportKind\[TransportKind\["stdio"\] = 0\]/);
});

test('saved and untitled Dockerfiles are served', () => {
  assert.deepEqual(cfg.documentSelector, [
    { scheme: 'file', language: 'dockerfile' },
    { scheme: 'untitled', language: 'dockerfile' },
  ]);
});

test('VS Code settings map onto what the server reads', () => {
  const reader = (values) => ({ get: (k) => values[k] });
  assert.deepEqual(cfg.serverSettings(reader({})),
    { target: '', shellcheck: true, rules: {} });
  assert.deepEqual(cfg.serverSettings(reader({
    target: 'runtime', shellcheck: false, rules: { DL3008: 'off', UnusedStage: 'error' },
    trustedRegistries: ['docker.io'],
  })), {
    target: 'runtime', shellcheck: false, rules: { DL3008: 'off', UnusedStage: 'error' },
    trustedRegistries: ['docker.io'],
  });
});

test('package.json contributes every setting the server reads, with defaults that agree', () => {
  const props = pkg.contributes.configuration.properties;
  for (const key of ['berth.path', 'berth.trace.server', 'berth.target', 'berth.shellcheck', 'berth.rules', 'berth.trustedRegistries']) {
    assert.ok(props[key], key);
  }
  const defaults = {};
  for (const [k, v] of Object.entries(props)) defaults[k.replace(/^berth\./, '')] = v.default;
  assert.deepEqual(cfg.serverSettings({ get: (k) => defaults[k] }),
    { target: '', shellcheck: true, rules: {} });
  assert.deepEqual(props['berth.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.deepEqual(pkg.activationEvents, ['onLanguage:dockerfile']);
  assert.equal(pkg.engines.vscode, '^1.82.0');
  assert.equal(pkg.dependencies['vscode-languageclient'], '9.0.1');
});
