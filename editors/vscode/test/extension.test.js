// The extension itself (out/extension.js) with the real vscode-languageclient
// 9.0.1, under test/vscode-stub.js in place of VS Code, against the real
// `berth` binary (BERTH_BIN): activation starts the server with the
// `berth.*` settings, diagnostics reach the collection, and the definition
// and completion providers the client registered answer. A missing binary
// gives the error message and no client.
const test = require('node:test');
const assert = require('node:assert/strict');
const { install, textDocument } = require('./vscode-stub.js');

const BIN = process.env.BERTH_BIN;
const TEXT = [
  'FROM golang:1.22 AS build',
  'RUN go build -o /app .',
  'FROM alpine:3.20 AS runtime',
  'COPY --from=biuld /app /app',
  'COPY --from=build /app /app2',
  'COPY --from=',
  '',
].join('\n');

const configuration = { 'berth.path': BIN, 'berth.shellcheck': false, 'berth.rules': {}, 'berth.target': '' };
const { vscode, recorded } = install({ configuration, documents: [] });
const uri = 'file:///tmp/berth-ext-test/Dockerfile';
const doc = textDocument(vscode.Uri, uri, 'dockerfile', TEXT);
vscode.workspace.textDocuments.push(doc);
const extension = require('../out/extension.js');

async function until(what, f, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const token = () => new vscode.CancellationTokenSource().token;

test('the extension serves a Dockerfile through vscode-languageclient', { skip: !BIN && 'BERTH_BIN not set' }, async () => {
  const context = { subscriptions: [], extensionPath: '/nonexistent-extension-dir' };
  await extension.activate(context);
  assert.deepEqual(recorded.messages, []);
  assert.ok(recorded.commands.has('berth.restart'));
  assert.ok(recorded.output.some((l) => l.includes(`starting ${BIN} (from setting)`)), recorded.output.join('\n'));

  const diags = await until('diagnostics', () => recorded.diagnostics.get(uri)?.length && recorded.diagnostics.get(uri));
  const undef = diags.find((d) => (d.code?.value ?? d.code) === 'UndefinedStage');
  assert.ok(undef, JSON.stringify(diags));
  assert.equal(undef.severity, vscode.DiagnosticSeverity.Warning);
  assert.deepEqual([undef.range.start.line, undef.range.start.character, undef.range.end.character], [3, 12, 17]);

  const defs = await recorded.providers.registerDefinitionProvider.provider.provideDefinition(doc, new vscode.Position(4, 14), token());
  assert.equal(defs.length, 1);
  const target = defs[0].targetSelectionRange ?? defs[0].range;
  assert.deepEqual([target.start.line, target.start.character, target.end.character], [0, 20, 25]);

  const completion = recorded.providers.registerCompletionItemProvider;
  assert.ok(completion.rest.includes('='), JSON.stringify(completion.rest));
  const result = await completion.provider.provideCompletionItems(doc, new vscode.Position(5, 12), token(),
    { triggerKind: vscode.CompletionTriggerKind.TriggerCharacter, triggerCharacter: '=' });
  const items = Array.isArray(result) ? result : result.items;
  assert.deepEqual(items.map((i) => i.label), ['build']);

  await extension.deactivate();
});

test('a missing binary is reported with the setting to fix', async () => {
  configuration['berth.path'] = '/nonexistent/berth';
  recorded.messages.length = 0;
  await extension.activate({ subscriptions: [], extensionPath: '/nonexistent-extension-dir' });
  assert.equal(recorded.messages.length, 1);
  assert.equal(recorded.messages[0][0], 'error');
  assert.match(recorded.messages[0][1], /"berth\.path".*\/nonexistent\/berth/);
});
