"""The same adapted routine in the terminal and the browser (issue #9, item 1): `routine show`,
the /api/play JSON and the player page list the same steps for the same safety answers."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest

from helpers.support import CliRunner
from helpers.web_client import WebClient

ROUTINES = ("lower-back-desk-4", "seated-5min", "standing-5min", "hamstring-2min")


def cli_steps(run_cli: CliRunner, routine_id: str) -> list[str]:
    result = run_cli("routine", "show", routine_id)
    assert result.exit_code == 0, result
    return re.findall(r"([A-Z][\w -]+?) \(S\d\d\)", result.stdout)


def page_steps(web: WebClient, routine_id: str) -> list[str]:
    response = web.get(f"/play/{routine_id}")
    assert response.status_code == 200, response.text
    before = response.text.split('id="stage-before"', 1)[1].split("</ol>", 1)[0]
    return [html.unescape(name).strip() for name in re.findall(r"<li>([^<]+)<span", before)]


@pytest.mark.parametrize(
    "conditions",
    [(), ("osteoporosis",), ("hip-replacement-posterior",), ("balance", "leg-symptoms")],
    ids=lambda c: "+".join(c) or "none",
)
def test_show_api_and_player_page_list_the_same_steps(
    run_cli: CliRunner,
    web: WebClient,
    answer: Callable[..., None],
    conditions: tuple[str, ...],
) -> None:
    answer(yes=conditions)
    for routine_id in ROUTINES:
        from_api = web.get(f"/api/play/{routine_id}")
        assert from_api.status_code == 200, from_api.text
        api = [step["name"] for step in from_api.json()["steps"]]
        assert api, routine_id
        assert cli_steps(run_cli, routine_id) == api, routine_id
        assert page_steps(web, routine_id) == api, routine_id
