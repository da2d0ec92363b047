#!/usr/bin/env python3
"""Ask two (or more) Dockerfile language servers the same questions and
print what each answered, feature by feature, as a markdown table.

Usage:
    scripts/lsp-compare.py [--json OUT] FILE... -- NAME=CMD [NAME=CMD ...]

    scripts/lsp-compare.py ../shared/examples/*.Dockerfile -- \
        berth="target/release/berth lsp" \
        docker-langserver="docker-langserver --stdio"

For every file each server gets: initialize (with the capabilities VS Code
sends for these features), didOpen, and then one request per feature at a
position found in the text (the first FROM keyword, the first `--from=`
value, the first `AS name`, the first `$VAR`, a COPY source, inside a
`--mount=` value...). A feature counts as answered on a file when the
server advertised it and returned a non-empty result. Diagnostics are the
first publishDiagnostics for the opened version.

Only the Python standard library is used.
"""

import json
import os
import re
import select
import shlex
import subprocess
import sys
import time


class Server:
    def __init__(self, cmd, root):
        self.proc = subprocess.Popen(
            shlex.split(cmd),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.buf = b""
        self.next_id = 1
        self.pending = []
        self.root = root

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read_one(self, deadline):
        while True:
            head, sep, rest = self.buf.partition(b"\r\n\r\n")
            if sep:
                length = None
                for line in head.split(b"\r\n"):
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if length is not None and len(rest) >= length:
                    self.buf = rest[length:]
                    return json.loads(rest[:length])
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buf += chunk

    def _dispatch(self, msg):
        # Answer the server's own requests so it never waits on us.
        if "method" in msg and "id" in msg:
            result = None
            if msg["method"] == "workspace/configuration":
                result = [None for _ in msg.get("params", {}).get("items", [])]
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            return None
        return msg

    def wait(self, pred, timeout=10.0):
        for i, m in enumerate(self.pending):
            if pred(m):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read_one(deadline)
            if msg is None:
                return None
            msg = self._dispatch(msg)
            if msg is None:
                continue
            if pred(msg):
                return msg
            self.pending.append(msg)

    def request(self, method, params, timeout=10.0):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        msg = self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)
        if msg is None:
            return {"timeout": True}
        return msg

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def close(self):
        try:
            self.request("shutdown", None, timeout=3)
            self.notify("exit", None)
            self.proc.wait(timeout=3)
        except Exception:
            self.proc.kill()


CAPS = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True, "dynamicRegistration": False},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "completion": {
            "completionItem": {
                "snippetSupport": True,
                "documentationFormat": ["markdown", "plaintext"],
                "resolveSupport": {"properties": ["documentation", "detail"]},
            }
        },
        "signatureHelp": {"signatureInformation": {"documentationFormat": ["markdown"]}},
        "definition": {"linkSupport": True},
        "declaration": {"linkSupport": True},
        "references": {},
        "documentHighlight": {},
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        "codeAction": {
            "codeActionLiteralSupport": {
                "codeActionKind": {
                    "valueSet": ["quickfix", "refactor", "refactor.rewrite", "source"]
                }
            }
        },
        "codeLens": {},
        "formatting": {},
        "rangeFormatting": {},
        "rename": {"prepareSupport": True},
        "documentLink": {"tooltipSupport": True},
        "foldingRange": {"lineFoldingOnly": True},
        "selectionRange": {},
        "semanticTokens": {
            "requests": {"full": {"delta": True}, "range": True},
            "tokenTypes": [
                "namespace", "type", "class", "enum", "interface", "struct",
                "typeParameter", "parameter", "variable", "property", "enumMember",
                "event", "function", "method", "macro", "keyword", "modifier",
                "comment", "string", "number", "regexp", "operator", "decorator",
            ],
            "tokenModifiers": [
                "declaration", "definition", "readonly", "static", "deprecated",
                "abstract", "async", "modification", "documentation", "defaultLibrary",
            ],
            "formats": ["relative"],
        },
        "inlayHint": {},
    },
    "workspace": {
        "configuration": True,
        "workspaceEdit": {"documentChanges": True},
        "symbol": {},
    },
    "window": {"workDoneProgress": True},
}

# feature: (capability key, method)
FEATURES = [
    ("diagnostics", None, None),
    ("hover: instruction", "hoverProvider", "textDocument/hover"),
    ("hover: stage reference", "hoverProvider", "textDocument/hover"),
    ("hover: variable", "hoverProvider", "textDocument/hover"),
    ("hover: image", "hoverProvider", "textDocument/hover"),
    ("definition: --from", "definitionProvider", "textDocument/definition"),
    ("definition: $VAR", "definitionProvider", "textDocument/definition"),
    ("references: stage", "referencesProvider", "textDocument/references"),
    ("documentHighlight: stage", "documentHighlightProvider", "textDocument/documentHighlight"),
    ("prepareRename: stage", "renameProvider", "textDocument/prepareRename"),
    ("rename: stage", "renameProvider", "textDocument/rename"),
    ("completion: after --from=", "completionProvider", "textDocument/completion"),
    ("completion: keyword", "completionProvider", "textDocument/completion"),
    ("signatureHelp: --mount", "signatureHelpProvider", "textDocument/signatureHelp"),
    ("documentSymbol", "documentSymbolProvider", "textDocument/documentSymbol"),
    ("foldingRange", "foldingRangeProvider", "textDocument/foldingRange"),
    ("selectionRange", "selectionRangeProvider", "textDocument/selectionRange"),
    ("semanticTokens/full", "semanticTokensProvider", "textDocument/semanticTokens/full"),
    ("documentLink", "documentLinkProvider", "textDocument/documentLink"),
    ("formatting", "documentFormattingProvider", "textDocument/formatting"),
    ("codeAction (whole file)", "codeActionProvider", "textDocument/codeAction"),
    ("codeLens", "codeLensProvider", "textDocument/codeLens"),
    ("inlayHint", "inlayHintProvider", "textDocument/inlayHint"),
]


def pos_of(text, offset):
    before = text[:offset]
    line = before.count("\n")
    col = offset - (before.rfind("\n") + 1)
    # UTF-16 columns
    col = len(text[offset - col:offset].encode("utf-16-le")) // 2
    return {"line": line, "character": col}


def find(text, pattern, group=0, skip=0):
    m = re.search(pattern, text, re.M | re.I)
    if not m:
        return None
    return pos_of(text, m.start(group) + skip)


def end_pos(text):
    return pos_of(text, len(text))


def nonempty(resp):
    if resp is None or "timeout" in resp or "error" in resp:
        return False
    r = resp.get("result")
    if r is None:
        return False
    if isinstance(r, (list, dict)) and not r:
        return False
    if isinstance(r, dict):
        if "data" in r:
            return bool(r["data"])
        if "contents" in r:
            c = r["contents"]
            return bool(c.get("value") if isinstance(c, dict) else c)
        if "items" in r:
            return bool(r["items"])
        if "signatures" in r:
            return bool(r["signatures"])
        if "changes" in r or "documentChanges" in r:
            return bool(r.get("changes") or r.get("documentChanges"))
    return True


def summary(resp):
    if resp is None:
        return "no answer"
    if "timeout" in resp:
        return "timeout"
    if "error" in resp:
        return "error %s" % resp["error"].get("code")
    r = resp.get("result")
    if isinstance(r, list):
        return "%d items" % len(r)
    if isinstance(r, dict) and "contents" in r:
        c = r["contents"]
        v = c.get("value", "") if isinstance(c, dict) else str(c)
        return (v.strip().splitlines() or [""])[0][:60]
    if isinstance(r, dict) and "items" in r:
        return "%d items" % len(r["items"])
    if isinstance(r, dict) and "data" in r:
        return "%d tokens" % (len(r["data"]) // 5)
    return json.dumps(r)[:60] if r is not None else "null"


def run_file(server, caps, path):
    text = open(path, encoding="utf-8", errors="replace").read()
    uri = "file://" + os.path.abspath(path)
    doc = {"uri": uri}
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}},
    )
    out = {}
    diag = server.wait(
        lambda m: m.get("method") == "textDocument/publishDiagnostics"
        and m["params"]["uri"] == uri,
        timeout=15,
    )
    out["diagnostics"] = (
        len(diag["params"]["diagnostics"]) if diag else None,
        "%d" % len(diag["params"]["diagnostics"]) if diag else "none published",
    )

    positions = {
        "hover: instruction": find(text, r"^\s*(FROM)\b", 1),
        "hover: stage reference": find(text, r"--from=([A-Za-z0-9_.-]+)", 1),
        "hover: variable": find(text, r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", 1),
        "hover: image": find(text, r"^\s*FROM\s+(?:--platform=\S+\s+)?([a-z0-9][\w./:@-]*)", 1),
        "definition: --from": find(text, r"--from=([A-Za-z0-9_.-]+)", 1),
        "definition: $VAR": find(text, r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", 1),
        "references: stage": find(text, r"\bAS\s+([A-Za-z0-9_.-]+)", 1),
        "documentHighlight: stage": find(text, r"\bAS\s+([A-Za-z0-9_.-]+)", 1),
        "prepareRename: stage": find(text, r"\bAS\s+([A-Za-z0-9_.-]+)", 1),
        "rename: stage": find(text, r"\bAS\s+([A-Za-z0-9_.-]+)", 1),
        "completion: after --from=": find(text, r"--from=()", 1),
        "completion: keyword": find(text, r"^(F)ROM", 1, 1),
        "signatureHelp: --mount": find(text, r"--mount=type=(\w)", 1),
    }
    full = {"start": {"line": 0, "character": 0}, "end": end_pos(text)}
    for name, cap, method in FEATURES[1:]:
        if not caps.get(cap):
            out[name] = (None, "not offered")
            continue
        params = {"textDocument": doc}
        if name in positions:
            p = positions[name]
            if p is None:
                out[name] = (None, "n/a in file")
                continue
            params["position"] = p
        if method == "textDocument/references":
            params["context"] = {"includeDeclaration": True}
        if method == "textDocument/rename":
            params["newName"] = "renamed-stage"
        if method == "textDocument/selectionRange":
            params["positions"] = [find(text, r"^\s*(FROM)\b", 1) or {"line": 0, "character": 0}]
        if method == "textDocument/formatting":
            params["options"] = {"tabSize": 4, "insertSpaces": True}
        if method in ("textDocument/codeAction", "textDocument/inlayHint"):
            params["range"] = full
            if method == "textDocument/codeAction":
                params["context"] = {
                    "diagnostics": diag["params"]["diagnostics"] if diag else []
                }
        t0 = time.monotonic()
        resp = server.request(method, params)
        ms = (time.monotonic() - t0) * 1000
        out[name] = (nonempty(resp), "%s (%.1f ms)" % (summary(resp), ms))
    server.notify("textDocument/didClose", {"textDocument": doc})
    return out


def main(argv):
    args = argv[1:]
    json_out = None
    if args[:1] == ["--json"]:
        json_out, args = args[1], args[2:]
    if "--" not in args:
        print(__doc__)
        return 2
    sep = args.index("--")
    files, servers = args[:sep], args[sep + 1:]
    results = {}
    for spec in servers:
        name, _, cmd = spec.partition("=")
        srv = Server(cmd, os.getcwd())
        init = srv.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": "file://" + os.getcwd(),
                "capabilities": CAPS,
                "workspaceFolders": None,
            },
            timeout=20,
        )
        caps = (init.get("result") or {}).get("capabilities", {})
        srv.notify("initialized", {})
        per_file = {}
        for f in files:
            per_file[f] = run_file(srv, caps, f)
        srv.close()
        results[name] = per_file
    names = list(results)
    print("| feature | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for feat, _, _ in FEATURES:
        cells = []
        for n in names:
            vals = [results[n][f][feat] for f in files]
            if feat == "diagnostics":
                total = sum(v[0] or 0 for v in vals)
                cells.append("%d on %d files" % (total, len(files)))
                continue
            answered = sum(1 for v in vals if v[0])
            applicable = sum(1 for v in vals if v[0] is not None)
            if applicable == 0:
                cells.append(vals[0][1] if vals else "-")
            else:
                sample = next((v[1] for v in vals if v[0]), None) or next(
                    v[1] for v in vals if v[0] is not None
                )
                cells.append("%d/%d: %s" % (answered, applicable, sample.replace("|", "\\|")))
        print("| %s | %s |" % (feat, " | ".join(cells)))
    if json_out:
        with open(json_out, "w") as fh:
            json.dump(results, fh, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
