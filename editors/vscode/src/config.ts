// The parts of the extension that do not need VS Code: where the server
// binary is, how it is started, which documents it sees, and the settings
// it is sent. Unit-tested in test/client-options.test.js.

import * as fs from 'fs';
import * as path from 'path';

/** The documents berth serves: the `dockerfile` language, saved or not. */
export const documentSelector = [
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'untitled', language: 'dockerfile' },
];

/** Looks a command up on PATH; `undefined` when absent. */
export function which(
  command: string,
  envPath: string = process.env.PATH ?? '',
  isFile: (p: string) => boolean = isExecutableFile,
): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export type Resolved =
  | { ok: true; command: string; from: 'setting' | 'bundled' | 'path' }
  | { ok: false; message: string };

/**
 * The server binary: the `berth.path` setting, else the binary bundled in
 * the extension's `server/` folder, else `berth` on PATH.
 */
export function resolveServer(
  setting: string | undefined,
  extensionDir: string,
  envPath: string = process.env.PATH ?? '',
  isFile: (p: string) => boolean = isExecutableFile,
): Resolved {
  const exe = process.platform === 'win32' ? 'berth.exe' : 'berth';
  const configured = setting?.trim();
  if (configured) {
    const expanded = configured.startsWith('~/')
      ? path.join(process.env.HOME ?? '', configured.slice(2))
      : configured;
    if (isFile(expanded)) return { ok: true, command: expanded, from: 'setting' };
    return {
      ok: false,
      message: `berth: the binary set in "berth.path" was not found or is not executable: ${expanded}`,
    };
  }
  const bundled = path.join(extensionDir, 'server', exe);
  if (isFile(bundled)) return { ok: true, command: bundled, from: 'bundled' };
  const onPath = which('berth', envPath, isFile);
  if (onPath) return { ok: true, command: onPath, from: 'path' };
  return {
    ok: false,
    message:
      'berth: the language server binary was not found. Install it (`cargo install --path .` ' +
      'in a berth checkout puts `berth` on PATH) or set "berth.path".',
  };
}

/**
 * How the server is started. With `transport: stdio` the language client
 * appends `--stdio`: `berth lsp --stdio`.
 */
export function serverOptions(command: string) {
  return {
    command,
    args: ['lsp'],
    transport: 0 /* TransportKind.stdio */,
    options: { env: { ...process.env, RUST_BACKTRACE: '1' } },
  };
}

/** A reader of the `berth` configuration section (VS Code's `get`). */
export interface SettingsReader {
  get<T>(key: string): T | undefined;
}

/** What the server reads (src/lsp/settings.rs), from the VS Code settings. */
export interface ServerSettings {
  target: string;
  shellcheck: boolean;
  rules: Record<string, string>;
  trustedRegistries?: string[];
}

export function serverSettings(config: SettingsReader): ServerSettings {
  const out: ServerSettings = {
    target: config.get<string>('target') ?? '',
    shellcheck: config.get<boolean>('shellcheck') ?? true,
    rules: { ...(config.get<Record<string, string>>('rules') ?? {}) },
  };
  const registries = config.get<string[] | null>('trustedRegistries');
  if (Array.isArray(registries)) out.trustedRegistries = registries;
  return out;
}
