"""``goodwill export … | head``: a reader that stops early ends the export quietly, not with a
traceback."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


class ClosedPipe(io.StringIO):
    """stdout after ``head`` has read what it wanted: every write fails."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("what", ["people", "feedback"])
def test_a_closed_pipe_ends_the_export_quietly(what: str) -> None:
    make_person(given_name="Ann", family_name="Lee")
    call_command("export", "--what", what, "--format", "csv", stdout=ClosedPipe())
