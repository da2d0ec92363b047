// Drives the real `berth` binary (BERTH_BIN) through
// vscode-languageserver-protocol, the library VS Code's client is built on,
// with the capabilities VS Code 1.82+ sends for these features. Skipped when
// BERTH_BIN is not set (tests/editors.rs sets it to the freshly built binary).
const test = require('node:test');
const assert = require('node:assert/strict');
const cp = require('node:child_process');
const {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
} = require('vscode-languageserver-protocol/node');
const { serverSettings } = require('../out/config.js');

const BIN = process.env.BERTH_BIN;

// What VS Code's client announces (trimmed to what berth reads, values as VS Code sends them).
const VSCODE_CAPABILITIES = {
  general: { positionEncodings: ['utf-16'] },
  window: { workDoneProgress: true, showMessage: {}, showDocument: { support: true } },
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], insertReplaceSupport: true }, contextSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    definition: { linkSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } } },
  },
};

const TEXT = [
  'FROM golang:1.22 AS build',
  'RUN go build -o /app .',
  'FROM alpine:3.20',
  'COPY --from=biuld /app /app',
  'COPY --from=build /app /app2',
  '',
].join('\n');

function start(settings) {
  const child = cp.spawn(BIN, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const seen = { logs: [], progress: [], diagnostics: [], configurationRequests: 0 };
  conn.onRequest('workspace/configuration', (params) => {
    seen.configurationRequests += 1;
    return params.items.map((i) => (i.section === 'berth' ? settings.current : null));
  });
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('window/logMessage', (p) => seen.logs.push(p));
  conn.onNotification('$/progress', (p) => seen.progress.push(p));
  conn.onNotification('textDocument/publishDiagnostics', (p) => seen.diagnostics.push(p));
  conn.listen();
  return { child, conn, seen };
}

async function until(what, f, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('berth serves diagnostics, definition, completion and settings to a VS Code client', { skip: !BIN && 'BERTH_BIN not set' }, async () => {
  // The settings as the extension reads them from VS Code.
  const vscodeSettings = { target: '', shellcheck: false, rules: {}, trustedRegistries: null };
  const settings = { current: serverSettings({ get: (k) => vscodeSettings[k] }) };
  const { child, conn, seen } = start(settings);
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));

  const init = await conn.sendRequest('initialize', {
    processId: process.pid, rootUri: null, capabilities: VSCODE_CAPABILITIES,
    initializationOptions: settings.current, trace: 'off',
    clientInfo: { name: 'Visual Studio Code', version: '1.82.0' },
  });
  assert.equal(init.serverInfo.name, 'berth');
  assert.equal(init.capabilities.positionEncoding, 'utf-16');
  assert.equal(init.capabilities.textDocumentSync.change, 2);
  assert.ok(init.capabilities.completionProvider.triggerCharacters.includes('='));
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('$/setTrace', { value: 'messages' });

  const log = await until('startup log', () => seen.logs.find((l) => /ready/.test(l.message)));
  assert.match(log.message, /^berth \d+\.\d+\.\d+ ready \(position encoding utf-16; settings: target: the last stage, shellcheck off, rules: defaults; hover markdown, progress on\)$/);
  assert.equal(seen.configurationRequests, 1);

  const uri = 'file:///tmp/berth-vscode-test/Dockerfile';
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: TEXT } });
  const first = await until('diagnostics', () => seen.diagnostics.find((d) => d.uri === uri && d.version === 1));
  const undef = first.diagnostics.find((d) => d.code === 'UndefinedStage');
  assert.ok(undef, JSON.stringify(first.diagnostics));
  assert.deepEqual(undef.range, { start: { line: 3, character: 12 }, end: { line: 3, character: 17 } });
  assert.match(undef.message, /build/);
  assert.equal(undef.source, 'berth');

  const def = await conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 4, character: 14 } });
  assert.equal(def.length, 1);
  assert.equal(def[0].targetUri, uri);
  assert.deepEqual(def[0].targetSelectionRange, { start: { line: 0, character: 20 }, end: { line: 0, character: 25 } });

  // Type `COPY --from=` on a new line: an incremental change, as VS Code sends it.
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, rangeLength: 0, text: 'COPY --from=' }],
  });
  const items = await conn.sendRequest('textDocument/completion', {
    textDocument: { uri }, position: { line: 5, character: 12 }, context: { triggerKind: 2, triggerCharacter: '=' },
  });
  const list = Array.isArray(items) ? items : items.items;
  const build = list.find((i) => i.label === 'build');
  assert.ok(build, JSON.stringify(list.map((i) => i.label)));
  assert.deepEqual(build.textEdit.range, { start: { line: 5, character: 12 }, end: { line: 5, character: 12 } });

  // Turning the rule off in the settings: VS Code notifies, berth pulls the section.
  settings.current = serverSettings({ get: (k) => ({ ...vscodeSettings, rules: { UndefinedStage: 'off' } })[k] });
  await conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await until('settings pulled again', () => seen.configurationRequests === 2);
  const after = await until('diagnostics without UndefinedStage', () => {
    const d = seen.diagnostics.filter((x) => x.uri === uri && x.version === 2).pop();
    return d && !d.diagnostics.some((x) => x.code === 'UndefinedStage') && d;
  });
  assert.ok(after);
  assert.ok(seen.logs.some((l) => l.message === 'berth: settings: target: the last stage, shellcheck off, rules: UndefinedStage=off'),
    JSON.stringify(seen.logs));

  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  assert.equal(await exited, 0);
  conn.dispose();
});
