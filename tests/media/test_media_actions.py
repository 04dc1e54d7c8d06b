"""``laurel media``'s actions other apps add (``media.management.actions``; contests adds
``ingest``): each a subcommand with its own arguments and help, run with the command's
options and output; the command's help ends with each action's summary."""

import io

import pytest
from django.core.management import call_command, load_command_class

from laurel.media.management import actions


@pytest.fixture
def registry(monkeypatch):
    """The apps' actions, put back after the test."""
    monkeypatch.setattr(actions, "_actions", dict(actions._actions))


def test_a_registered_action_is_a_subcommand_run_with_its_options(registry):
    def add_arguments(parser):
        parser.add_argument("name")
        parser.add_argument("--times", type=int, default=1)

    def run(command, options):
        command.stdout.write(" ".join([options["name"]] * options["times"]))

    actions.media_action_register(
        "greet", summary="greet someone", help="say hello", add_arguments=add_arguments, run=run
    )
    out = io.StringIO()
    call_command("media", "greet", "李明", "--times", "2", stdout=out)
    assert out.getvalue() == "李明 李明\n"
    command_help = load_command_class("laurel.media", "media").help
    assert command_help.endswith("; greet someone (greet).")


def test_contests_register_ingest_and_the_help_reads_as_before():
    assert [action.name for action in actions.media_actions()] == ["ingest"]
    assert load_command_class("laurel.media", "media").help == (
        "Check photos by their content: verdict, EXIF, fingerprints, duplicates (check); "
        "make contest entries of a folder or zip of them (ingest)."
    )
