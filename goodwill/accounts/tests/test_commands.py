"""``goodwill createowner`` and ``goodwill token create|revoke|list``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import ApiToken, User
from goodwill.accounts.services import token_authenticate, token_create


def _call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_createowner_prints_the_generated_password(db: None) -> None:
    output = _call("createowner", "--email", " Owner@Example.com ")

    user = User.objects.get()
    lines = output.splitlines()
    assert lines[0] == "Created owner owner@example.com."
    assert lines[1].startswith("Password: ")
    assert user.role == "owner"
    assert user.check_password(lines[1].removeprefix("Password: "))


def test_createowner_with_a_password_does_not_print_it(db: None) -> None:
    output = _call(
        "createowner", "--email", "owner@example.com", "--password", "a-long-pass-phrase"
    )

    assert output == "Created owner owner@example.com.\n"
    assert User.objects.get().check_password("a-long-pass-phrase")


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--email", "not-an-email"], "email: Enter a valid email address.", 2),
        (
            ["--email", "owner@example.com", "--password", "short"],
            "password: This password is too short. It must contain at least 12 characters.",
            2,
        ),
    ],
)
def test_createowner_refuses_bad_input_and_writes_nothing(
    db: None, args: list[str], message: str, code: int
) -> None:
    with pytest.raises(CommandError) as exc:
        _call("createowner", *args)

    assert (str(exc.value), exc.value.returncode) == (message, code)
    assert User.objects.count() == 0


def test_createowner_refuses_a_taken_email(alice: User) -> None:
    with pytest.raises(CommandError) as exc:
        _call("createowner", "--email", "alice@example.com")

    assert (str(exc.value), exc.value.returncode) == ("A user with this email already exists.", 5)
    assert User.objects.count() == 1


def test_token_create_prints_a_working_token_alone_on_its_last_line(bob: User) -> None:
    output = _call("token", "create", "--email", "bob@example.com", "--name", "laptop")

    token = ApiToken.objects.get()
    lines = output.splitlines()
    assert lines[0] == f"Token {token.pk} (laptop) for bob@example.com, shown only once:"
    assert token_authenticate(raw=lines[-1]) == bob
    assert lines[-1].strip() == lines[-1]


def test_token_create_for_an_unknown_user_exits_3(db: None) -> None:
    with pytest.raises(CommandError) as exc:
        _call("token", "create", "--email", "nobody@example.com")

    assert (str(exc.value), exc.value.returncode) == ("No user with email nobody@example.com.", 3)
    assert ApiToken.objects.count() == 0


def test_token_create_for_a_deactivated_user_names_the_field(charlie: User) -> None:
    with pytest.raises(CommandError) as exc:
        _call("token", "create", "--email", "charlie@example.com")

    assert (str(exc.value), exc.value.returncode) == ("email: This user is deactivated.", 2)
    assert ApiToken.objects.count() == 0


def test_token_revoke_by_id(bob: User) -> None:
    token, raw = token_create(actor=bob, user=bob, name="laptop")

    output = _call("token", "revoke", str(token.pk))

    assert output == f"Revoked token {token.pk} (laptop) of bob@example.com.\n"
    assert token_authenticate(raw=raw) is None


def test_token_revoke_by_raw_value(bob: User) -> None:
    token, raw = token_create(actor=bob, user=bob, name="laptop")

    _call("token", "revoke", "--token", raw)

    assert token_authenticate(raw=raw) is None


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        ([], "token: give either a TOKEN_ID or --token RAW.", 2),
        (["424242"], "No such token.", 3),
        (["--token", "gw_not-a-token"], "No such token.", 3),
    ],
)
def test_token_revoke_refuses_what_it_cannot_find(
    bob: User, args: list[str], message: str, code: int
) -> None:
    _token, raw = token_create(actor=bob, user=bob, name="laptop")

    with pytest.raises(CommandError) as exc:
        _call("token", "revoke", *args)

    assert (str(exc.value), exc.value.returncode) == (message, code)
    assert token_authenticate(raw=raw) == bob


def test_token_list(alice: User, bob: User) -> None:
    mine, _raw = token_create(actor=alice, user=alice, name="ci")
    theirs, _raw = token_create(actor=bob, user=bob, name="phone")

    assert _call("token", "list", "--email", "bob@example.com") == (
        f"{theirs.pk}\t{theirs.prefix}…\tbob@example.com\tphone\tlast used never\n"
    )
    rows = json.loads(_call("token", "list", "--json"))
    assert [(r["id"], r["email"], r["revoked"]) for r in rows] == [
        (theirs.pk, "bob@example.com", False),
        (mine.pk, "alice@example.com", False),
    ]
