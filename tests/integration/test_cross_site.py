"""Each cross-site, host and login attack of docs/security.md against the real app.py (fake
models) over HTTP, from a second origin: a hostile page in a logged-in user's browser, a DNS-rebinding
page against the login-less local app, a password guesser. The page itself still works from its own
origin."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assistant.services.access import hash_password
from support import app_driver
from support.attacks import ATTACKER, attacks, call, join_payload
from eval.app_client import AppClient, answers

pytestmark = pytest.mark.servers
HOST = "assistant.test"  # the name the team reaches the app by (its proxy's)


def _serve(root: Path, **app: object):  # noqa: ANN202 - (process, url, port)
    settings = app_driver.write_settings(root, **app)
    process, url = app_driver.start(root, settings)
    return process, url, yaml.safe_load(settings.read_text())["app"]["port"]


@pytest.fixture(scope="module")
def local_app(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("local")
    process, url, port = _serve(root)
    yield url, f"127.0.0.1:{port}", root
    app_driver.stop(process)


@pytest.fixture(scope="module")
def team_app(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("team")
    accounts = {"ana": {"password_hash": hash_password("motdepasse-ana"), "groups": [], "role": "reader"}}
    process, url, _ = _serve(root, accounts=accounts, allowed_hosts=[HOST], login_attempts=5)
    yield url, HOST, root
    app_driver.stop(process)


def _blocked(seen: dict) -> None:
    assert seen["rebinding"] == {"status": 400, "config": False}
    assert seen["cross_origin_read"] == {"status": 403, "config": False, "allow_origin": [], "allow_credentials": []}
    assert seen["preflight"]["allow_origin"] == [] and seen["preflight"]["status"] == 403
    assert seen["cross_origin_join"] == seen["null_origin_join"] == {"status": 403, "queued": False}
    assert seen["questions_run_by_attacker"] == 0
    file_url = seen["file_url"]
    assert file_url["status"] == file_url["public"]["status"] == 403 and not file_url["fetched"]
    assert "aucune adresse extérieure" in file_url["public"]["answer"]  # stopped before Gradio tries


def test_attacks_on_the_local_app_without_login(local_app) -> None:
    url, host, root = local_app
    seen = attacks(url, host, audit=root / "audit.jsonl")
    _blocked(seen)
    assert seen["through_a_proxy"] == {"status": 403, "config": False}  # no login: this machine only


def test_attacks_on_the_team_app_from_another_site(team_app) -> None:
    url, host, root = team_app
    client = AppClient(url)
    assert client.login("ana", "motdepasse-ana") == 200
    client.ask(f"Combien de tonnes d'acier le site de {app_driver.CITIES[3]} a-t-il produit en 2023 ?")
    assert [json.loads(line)["user"] for line in (root / "audit.jsonl").read_text().splitlines()] == ["ana"]
    seen = attacks(url, host, "ana", "motdepasse-ana", root / "audit.jsonl")
    assert seen["login"] == 200
    _blocked(seen)
    assert seen["anonymous"] == {"status": 401, "config": False}
    cookies = seen["login_cookies"]["set_cookie"]
    assert cookies and all("SameSite=Lax" in c and "samesite=none" not in c.lower() for c in cookies)
    # five wrong guesses, then this address waits: even the right password is refused for now
    assert seen["brute_force"]["guesses"][:5] == [400] * 5 and set(seen["brute_force"]["guesses"][5:]) == {429}
    assert seen["brute_force"]["right_password_after"] == 429


def test_the_page_still_works_from_its_own_origin(local_app) -> None:
    url, host, root = local_app
    client = AppClient(url)
    exchange = client.ask(f"Combien de tonnes d'acier le site de {app_driver.CITIES[2]} a-t-il produit en 2023 ?")
    assert "63 400 tonnes" in answers(exchange.chat_html)[0]
    status, _, body = call(f"{url}/gradio_api/queue/join", "POST",
                           {"Host": host, "Origin": f"http://{host}", "Content-Type": "application/json"},
                           join_payload(client, "Combien de salariés à Imphy ?"))
    assert status == 200 and "event_id" in body
    assert call(f"{url}/config", headers={"Host": host, "Origin": ATTACKER})[0] == 403
