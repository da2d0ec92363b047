// The berth extension: starts `berth lsp` for Dockerfiles with
// vscode-languageclient over stdio, passes the `berth.*` settings, and
// offers a restart command.

import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import { documentSelector, resolveServer, serverOptions, serverSettings } from './config';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

function settings() {
  return vscode.workspace.getConfiguration('berth');
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const resolved = resolveServer(settings().get<string>('path'), context.extensionPath);
  if (!resolved.ok) {
    const choice = await vscode.window.showErrorMessage(resolved.message, 'Open Settings');
    if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'berth.path');
    }
    return;
  }
  output ??= vscode.window.createOutputChannel('berth');
  output.appendLine(`berth: starting ${resolved.command} (from ${resolved.from})`);
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: output,
    initializationOptions: serverSettings(settings()),
    // Pushes didChangeConfiguration on `berth.*` changes; the server then
    // pulls the section with workspace/configuration.
    synchronize: { configurationSection: 'berth' },
  };
  client = new LanguageClient(
    'berth',
    'berth',
    serverOptions(resolved.command) as ServerOptions,
    clientOptions,
  );
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(`berth: the language server failed to start: ${e}`);
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('berth.restart', async () => {
      await stop();
      await start(context);
    }),
    vscode.commands.registerCommand('berth.showOutput', () => output?.show()),
    // The "used by ..." code lens on a FROM line carries
    // [uri, position, locations] in LSP types: show them in the peek view.
    vscode.commands.registerCommand(
      'berth.showReferences',
      async (uri: string, position: unknown, locations: unknown[]) => {
        const c = client;
        if (!c) return;
        const p2c = c.protocol2CodeConverter;
        await vscode.commands.executeCommand(
          'editor.action.showReferences',
          p2c.asUri(uri),
          p2c.asPosition(position as never),
          locations.map((l) => p2c.asLocation(l as never)),
        );
      },
    ),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // A new binary needs a new process; other settings go over LSP.
      if (e.affectsConfiguration('berth.path')) {
        await stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

export function deactivate(): Thenable<void> | undefined {
  return stop();
}
