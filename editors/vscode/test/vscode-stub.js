// A small stand-in for the `vscode` module, enough for vscode-languageclient
// 9 and the extension to run under plain node: documents, configuration,
// diagnostics collections and provider registries are recorded so a test can
// call the providers the client registered. Unknown `on*`/`register*`
// functions return disposables.
const Module = require('node:module');
const { EventEmitter: NodeEmitter } = require('node:events');

class Disposable {
  constructor(f) { this.f = f; }
  static from(...ds) { return new Disposable(() => ds.forEach((d) => d && d.dispose && d.dispose())); }
  dispose() { if (this.f) this.f(); this.f = undefined; }
}

class EventEmitter {
  constructor() { this.listeners = new Set(); this.event = (l, thisArg) => { const f = l.bind(thisArg); this.listeners.add(f); return new Disposable(() => this.listeners.delete(f)); }; }
  fire(e) { for (const l of [...this.listeners]) l(e); }
  dispose() { this.listeners.clear(); }
}

// A real token source: the client drops results whose token was cancelled.
class CancellationTokenSource {
  constructor() {
    const em = new EventEmitter();
    this._em = em;
    this.token = { isCancellationRequested: false, onCancellationRequested: em.event };
  }
  cancel() { if (!this.token.isCancellationRequested) { this.token.isCancellationRequested = true; this._em.fire(); } }
  dispose() { this._em.dispose(); }
}
class CancellationError extends Error {}

class Uri {
  constructor(scheme, path) { this.scheme = scheme; this.authority = ''; this.path = path; this.query = ''; this.fragment = ''; this.fsPath = path; }
  static parse(s) { const m = /^([a-z][\w+.-]*):(?:\/\/)?(.*)$/i.exec(s); return m ? new Uri(m[1], m[1] === 'file' ? m[2] : m[2]) : new Uri('file', s); }
  static file(p) { return new Uri('file', p); }
  toString() { return this.scheme === 'file' ? `file://${this.path}` : `${this.scheme}:${this.path}`; }
  toJSON() { return this.toString(); }
  with() { return this; }
}

class Position { constructor(line, character) { this.line = line; this.character = character; } }
class Range {
  constructor(a, b, c, d) {
    if (typeof a === 'number') { this.start = new Position(a, b); this.end = new Position(c, d); } else { this.start = a; this.end = b; }
  }
}
class Location { constructor(uri, range) { this.uri = uri; this.range = range; } }
class Diagnostic { constructor(range, message, severity) { this.range = range; this.message = message; this.severity = severity; } }
class DiagnosticRelatedInformation { constructor(location, message) { this.location = location; this.message = message; } }
class CompletionItem { constructor(label, kind) { this.label = label; this.kind = kind; } }
class CompletionList { constructor(items, isIncomplete) { this.items = items; this.isIncomplete = isIncomplete; } }
class MarkdownString { constructor(value) { this.value = value || ''; } appendMarkdown(v) { this.value += v; return this; } appendText(v) { this.value += v; return this; } appendCodeblock(v) { this.value += v; return this; } }
class Hover { constructor(contents, range) { this.contents = Array.isArray(contents) ? contents : [contents]; this.range = range; } }
class TextEdit { constructor(range, newText) { this.range = range; this.newText = newText; } static replace(r, t) { return new TextEdit(r, t); } }
class SnippetString { constructor(value) { this.value = value; } }
class CodeAction { constructor(title, kind) { this.title = title; this.kind = kind; } }
class CodeActionKind { constructor(value) { this.value = value; } append(p) { return new CodeActionKind(this.value ? `${this.value}.${p}` : p); } contains(o) { return o.value === this.value || o.value.startsWith(this.value + '.'); } intersects(o) { return this.contains(o) || o.contains(this); } }
for (const k of ['Empty:', 'QuickFix:quickfix', 'Refactor:refactor', 'RefactorExtract:refactor.extract', 'RefactorInline:refactor.inline', 'RefactorRewrite:refactor.rewrite', 'Source:source', 'SourceOrganizeImports:source.organizeImports', 'SourceFixAll:source.fixAll']) {
  const [name, value] = k.split(':'); CodeActionKind[name] = new CodeActionKind(value);
}
class WorkspaceEdit { constructor() { this.edits = []; } set(uri, edits) { this.edits.push([uri, edits]); } replace(uri, range, text) { this.edits.push([uri, [new TextEdit(range, text)]]); } }

function enumOf(names, start = 0) { const e = {}; names.forEach((n, i) => { e[n] = i + start; e[i + start] = n; }); return e; }

function install({ configuration, documents }) {
  const recorded = { diagnostics: new Map(), providers: {}, commands: new Map(), messages: [], output: [] };
  const didOpen = new EventEmitter();
  const disposable = () => new Disposable(() => {});
  const fallback = (target, name) => {
    if (name in target) return target[name];
    if (typeof name !== 'string') return undefined;
    if (name.startsWith('on')) return () => disposable();
    if (name.startsWith('register')) {
      return (selector, provider, ...rest) => {
        recorded.providers[name] = { selector, provider, rest };
        return disposable();
      };
    }
    return undefined;
  };
  const ns = (o) => new Proxy(o, { get: fallback });
  const channel = (name) => ({
    name, append: (s) => recorded.output.push(s), appendLine: (s) => recorded.output.push(s), replace() {}, clear() {}, show() {}, hide() {}, dispose() {},
  });
  const vscode = {
    version: '1.82.0',
    Disposable, EventEmitter, CancellationTokenSource, CancellationError, Uri, Position, Range, Location,
    Diagnostic, DiagnosticRelatedInformation, CompletionItem, CompletionList, MarkdownString, Hover, TextEdit,
    SnippetString, CodeAction, CodeActionKind, WorkspaceEdit,
    LocationLink: class {},
    CallHierarchyItem: class {}, CodeLens: class { constructor(range, command) { this.range = range; this.command = command; } },
    DocumentLink: class { constructor(range, target) { this.range = range; this.target = target; } },
    InlayHint: class { constructor(position, label, kind) { this.position = position; this.label = label; this.kind = kind; } },
    SymbolInformation: class {}, TypeHierarchyItem: class {},
    DiagnosticSeverity: enumOf(['Error', 'Warning', 'Information', 'Hint']),
    DiagnosticTag: enumOf(['Unnecessary', 'Deprecated'], 1),
    CompletionItemKind: enumOf(['Text', 'Method', 'Function', 'Constructor', 'Field', 'Variable', 'Class', 'Interface', 'Module', 'Property', 'Unit', 'Value', 'Enum', 'Keyword', 'Snippet', 'Color', 'File', 'Reference', 'Folder', 'EnumMember', 'Constant', 'Struct', 'Event', 'Operator', 'TypeParameter', 'User', 'Issue']),
    CompletionItemTag: enumOf(['Deprecated'], 1),
    CompletionTriggerKind: enumOf(['Invoke', 'TriggerCharacter', 'TriggerForIncompleteCompletions']),
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    TabInputText: class {}, TabInputTextDiff: class {}, TabInputCustom: class {}, TabInputNotebook: class {}, TabInputNotebookDiff: class {},
    EndOfLine: { LF: 1, CRLF: 2 },
    TextDocumentSaveReason: enumOf(['Manual', 'AfterDelay', 'FocusOut'], 1),
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    workspace: ns({
      textDocuments: documents,
      workspaceFolders: undefined,
      notebookDocuments: [],
      getConfiguration: (section) => ({
        get: (key, dflt) => {
          const full = section ? `${section}.${key}` : key;
          return full in configuration ? configuration[full] : dflt;
        },
        has: (key) => `${section}.${key}` in configuration,
        inspect: () => undefined,
        update: async () => {},
      }),
      getWorkspaceFolder: () => undefined,
      onDidOpenTextDocument: didOpen.event,
      createFileSystemWatcher: () => ({ onDidCreate: disposable, onDidChange: disposable, onDidDelete: disposable, dispose() {} }),
      applyEdit: async () => true,
    }),
    window: ns({
      activeTextEditor: undefined,
      visibleTextEditors: [],
      tabGroups: { all: [], onDidChangeTabs: () => disposable(), onDidChangeTabGroups: () => disposable() },
      createOutputChannel: channel,
      showErrorMessage: async (m) => { recorded.messages.push(['error', m]); return undefined; },
      showWarningMessage: async (m) => { recorded.messages.push(['warning', m]); return undefined; },
      showInformationMessage: async (m) => { recorded.messages.push(['info', m]); return undefined; },
      withProgress: async (_o, task) => task({ report() {} }, new CancellationTokenSource().token),
      showTextDocument: async () => undefined,
    }),
    languages: ns({
      match: (selector, doc) => {
        const sels = Array.isArray(selector) ? selector : [selector];
        return sels.some((s) => typeof s === 'string' ? s === doc.languageId
          : (!s.language || s.language === doc.languageId) && (!s.scheme || s.scheme === doc.uri.scheme)) ? 10 : 0;
      },
      createDiagnosticCollection: (name) => ({
        name,
        set: (uri, diags) => { recorded.diagnostics.set(uri.toString(), diags || []); },
        delete: (uri) => recorded.diagnostics.delete(uri.toString()),
        clear: () => recorded.diagnostics.clear(),
        forEach() {}, get: (uri) => recorded.diagnostics.get(uri.toString()), has: (uri) => recorded.diagnostics.has(uri.toString()),
        dispose() {},
      }),
    }),
    commands: ns({
      registerCommand: (id, f) => { recorded.commands.set(id, f); return disposable(); },
      executeCommand: async (id, ...args) => recorded.commands.has(id) ? recorded.commands.get(id)(...args) : undefined,
    }),
    env: ns({ language: 'en', appName: 'Visual Studio Code', machineId: 'test', sessionId: 'test', openExternal: async () => true }),
    extensions: ns({ getExtension: () => undefined, all: [] }),
  };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    if (request === 'vscode') return vscode;
    return load.call(this, request, ...rest);
  };
  return { vscode, recorded, didOpen };
}

/** A text document as the client reads it. */
function textDocument(Uri, uri, languageId, text) {
  const lines = text.split('\n');
  return {
    uri: Uri.parse(uri), fileName: Uri.parse(uri).path, languageId, version: 1, isUntitled: false, isDirty: false, isClosed: false,
    eol: 1, lineCount: lines.length, getText: () => text,
    lineAt: (l) => ({ text: lines[typeof l === 'number' ? l : l.line] }),
    save: async () => true,
  };
}

module.exports = { install, textDocument };
