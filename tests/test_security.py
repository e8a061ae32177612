"""Security basics: http(s) only, TLS verification always on, no shell, nothing from a source run.

The source-tree checks walk the AST of every module Sinoterm ships (not the tests), so a comment or
a string mentioning `eval` does not trip them and a real call anywhere does. Behaviour checks: the
HTTP clients verify certificates, config refuses non-http(s) URLs, a redirect to file:// reads
nothing, an XML external entity is never resolved. (`o` in the article view: test_reliability_hostile.)
"""
from __future__ import annotations

import ast
import ssl
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.loader import parse_settings
from news.feeds import fetch_feed, parse_feed
from news.fetch import make_client as news_client
from tests.news_loopback import Loopback, Route

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("config", "market", "news", "storage", "tui", "widgets", "assets", "scripts")
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "system", "popen", "spawnl", "spawnlp", "spawnv",
                   "spawnvp", "execv", "execvp", "execl", "execlp", "_create_unverified_context",
                   "_create_default_https_context", "getoutput", "getstatusoutput"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "yaml", "subprocess", "pty", "commands"}


def shipped_modules() -> list[Path]:
    files = [p for d in SHIPPED for p in (ROOT / d).rglob("*.py")]
    assert len(files) > 50  # the walk really sees the code base
    return files


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        where = f"{path.parent.name}/{path.name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in FORBIDDEN_CALLS and not (name == "compile" and isinstance(func, ast.Attribute)):
                found.append(f"{where} calls {name}()")  # re.compile is fine; builtin compile is not
            for kw in node.keywords:
                if kw.arg == "verify" and not (isinstance(kw.value, ast.Constant) and kw.value.value is True):
                    found.append(f"{where} passes verify={ast.unparse(kw.value)}")
                if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    found.append(f"{where} passes shell={ast.unparse(kw.value)}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{where} imports {n}" for n in names if n.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.Attribute) and node.attr in ("CERT_NONE", "check_hostname"):
            found.append(f"{where} touches ssl.{node.attr}")
    return found


def test_no_eval_exec_pickle_shell_or_unverified_tls_in_the_source_tree():
    problems = [o for path in shipped_modules() for o in offences(path)]
    assert problems == []


def test_the_scanner_catches_what_it_looks_for(tmp_path):
    bad = tmp_path / "probe.py"
    bad.write_text("import pickle, subprocess\nimport httpx\nhttpx.get('x', verify=False)\neval('1')\n"
                   "subprocess.run('ls', shell=True)\nimport os\nos.system('ls')\nimport re\nre.compile('x')\n")
    found = offences(bad)
    assert len(found) == 6, found  # pickle, subprocess, verify=False, eval, shell=True, os.system


def test_http_clients_verify_certificates():
    from market.providers.http import make_client as quote_client

    for client in (quote_client(1.0), news_client()):
        pool = client._transport._pool  # httpx -> httpcore: the SSL context every connection uses
        context: ssl.SSLContext = pool._ssl_context
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.test/feed", "javascript:alert(1)", "gopher://x",
                                 "/etc/passwd", "data:text/xml,<rss/>", "http://"])
def test_config_refuses_non_http_urls(url, tmp_path):
    for doc in (f'[[news.feeds]]\nname = "f"\nurl = "{url}"\n', f'[providers.tencent]\nbase_url = "{url}"\n'):
        with pytest.raises(ConfigError):
            parse_settings(doc.encode(), tmp_path / "config.toml")


async def test_redirect_to_a_local_file_reads_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    srv = Loopback({"/feed": Route(status=302, headers={"Location": secret.as_uri()})})
    try:
        async with news_client() as client:
            result = await fetch_feed(client, "f", srv.url + "/feed", deadline=3)
    finally:
        srv.close()
    assert result.entries == [] and "non-http" in result.error


def test_xml_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    for dtd in (f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>',
                f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]>',
                f'<!DOCTYPE rss SYSTEM "{secret.as_uri()}">'):
        body = (f'<?xml version="1.0"?>{dtd}<rss version="2.0"><channel><title>t</title>'
                "<item><title>leak &x;</title><description>&x;</description><link>https://x.test/1</link></item>"
                "</channel></rss>").encode()
        entries = parse_feed(body, name="f")
        assert all("TOP-SECRET" not in e.title + e.summary for e in entries)
