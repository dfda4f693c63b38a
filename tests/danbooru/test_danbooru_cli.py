"""``lookup`` and ``refresh`` on the command line: answers on stdout, clear errors, meaningful exit codes."""

from __future__ import annotations

import pytest
from danbooru_fake import Reply

from animagine_prompt import cli as main_cli
from animagine_prompt.danbooru import cli


@pytest.fixture(autouse=True)
def _no_credentials_from_the_environment(monkeypatch):
    monkeypatch.delenv("DANBOORU_USERNAME", raising=False)
    monkeypatch.delenv("DANBOORU_API_KEY", raising=False)
    # The "already known" filter would load the full bundled index; these tests pretend it knows Miku only.
    monkeypatch.setattr(cli, "_known_names", lambda cache: {"hatsune miku"}.__contains__)


def _args(fake, cache_path, *rest):
    return ["--cache", str(cache_path), "--base-url", fake.url, "--min-interval", "0", *rest]


def test_lookup_prints_the_answer(fake, cache_path, capsys):
    code = main_cli.main(["lookup", *_args(fake, cache_path, "Miku_Hatsune", "wlop")])

    out = capsys.readouterr().out
    assert code == 0
    assert "Miku_Hatsune → hatsune miku (character, 150,210 posts) (Danbooru alias); series: vocaloid," in out
    assert "wlop (artist, 980 posts)" in out
    assert cache_path.exists()


def test_lookup_of_an_unknown_tag_exits_1(fake, cache_path, capsys):
    assert cli.main(["lookup", *_args(fake, cache_path, "no such tag zzz")]) == 1
    assert "no such tag zzz: not a Danbooru tag." in capsys.readouterr().out


def test_lookup_when_danbooru_fails_exits_3_with_one_line(fake, cache_path, capsys):
    fake.intercept(lambda path, params: Reply(500, b"<html>"))

    code = cli.main(["lookup", *_args(fake, cache_path, "wlop")])

    captured = capsys.readouterr()
    assert code == 3
    assert captured.err.strip() == "wlop: Danbooru had a server error (HTTP 500); try again later."
    assert "Traceback" not in captured.err


def test_refresh_reports_what_was_added_and_resumes(fake, cache_path, capsys):
    fake.intercept(lambda path, params: Reply(503, b"") if params.get("search[category]") == "3" else None)
    assert cli.main(["refresh", *_args(fake, cache_path, "--since", "2025-01-01", "--min-posts", "50")]) == 3
    first = capsys.readouterr()
    assert "stopped early" in first.out and "Run the refresh again" in first.out
    assert "[1/2] characters" in first.err

    fake.interceptors.clear()
    assert cli.main(["refresh", *_args(fake, cache_path, "--since", "2025-01-01", "--min-posts", "50")]) == 0
    out = capsys.readouterr().out
    assert "Refresh resumed and finished" in out and "3 new characters, 1 new series" in out
    assert "  + koharu (example game)" in out and "  + example game" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["refresh", "--since", "2025-13-01"], "write it as YYYY-MM-DD"),
        (["refresh", "--since", "yesterday"], "write it as YYYY-MM-DD"),
        (["refresh", "--since", "2999-01-01"], "in the future"),
        (["refresh", "--min-posts", "-5"], "must be 0 or more"),
        (["refresh", "--min-posts", "many"], "not a whole number"),
        (["lookup", "--timeout", "0", "x"], "between 0 and 120"),
        (["lookup"], "required: TAG"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_plain_http_is_refused(cache_path, capsys):
    code = cli.main(["lookup", "--cache", str(cache_path), "--base-url", "http://danbooru.donmai.us", "wlop"])

    assert code == 2
    assert "https://" in capsys.readouterr().err
    assert not cache_path.exists()


def test_half_credentials_are_refused(fake, cache_path, capsys, monkeypatch):
    monkeypatch.setenv("DANBOORU_API_KEY", "key-without-user")

    assert cli.main(["lookup", *_args(fake, cache_path, "wlop")]) == 2
    err = capsys.readouterr().err
    assert "username and an API key" in err and "key-without-user" not in err
    assert fake.requests == []


def test_credentials_come_from_the_environment(fake, cache_path, monkeypatch, capsys):
    monkeypatch.setenv("DANBOORU_USERNAME", "alice")
    monkeypatch.setenv("DANBOORU_API_KEY", "k3y")

    assert cli.main(["lookup", *_args(fake, cache_path, "wlop")]) == 0
    assert fake.requests[0].headers["Authorization"].startswith("Basic ")
    assert "k3y" not in capsys.readouterr().out
