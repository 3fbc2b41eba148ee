"""Issue #9 items 4 and 6 in the browser: a history of cancer means the GP or cancer team within
24 hours (NICE NG234), and a flag cleared by a clinician is named instead of "no warning signs"."""

from __future__ import annotations

from helpers.support import flat
from helpers.web_client import WebClient, safety_form


def test_cancer_history_says_gp_or_cancer_team_within_24_hours(web: WebClient) -> None:
    response = web.post_form("/safety", safety_form(**{"rf-cancer-history": "yes"}), follow=True)
    text = flat(response.text)
    assert "See a doctor within 24 hours" in text
    assert "contact your GP or your cancer team" in text
    assert "within the next few days" not in text
    today = flat(web.get("/").text)
    assert "See a doctor within 24 hours" in today and "cancer team" in today


def test_help_page_lists_cancer_in_the_past_under_24_hours(web: WebClient) -> None:
    text = flat(web.get("/help").text)
    within_a_day = text.index("See a doctor within 24 hours")
    few_days = text.index("Book a GP appointment within a few days")
    assert within_a_day < text.index("when you have had cancer") < few_days


def test_cleared_flag_is_named_not_hidden_as_no_warning_signs(web: WebClient) -> None:
    form = safety_form(**{"rf-cancer-history": "cleared", "rf-cancer-weight-loss": "cleared"})
    text = flat(web.post_form("/safety", form, follow=True).text)
    assert "You are all set" in text
    assert "raised no warning signs" not in text
    assert (
        "No new warning signs. Cleared by a clinician: having had cancer; weight loss without"
        " trying." in text
    )


def test_learn_page_shows_the_grading_rule_and_true_locking(web: WebClient) -> None:
    from deskstretch.catalogue.learn import load_learn

    content = load_learn()
    text = flat(web.get("/learn").text)
    assert "How the grades work" in text
    assert " ".join(content.grading_rule.split()) in text.replace("&#34;", '"')
    for grade in content.grades:
        assert grade.meaning in text
    assert "locks every routine until you answer the questions again, whatever the urgency" in text
