"""The actions of ``laurel media`` that apps above media add (contests: ``ingest``), each from
its AppConfig.ready(), so media imports none of them. ``check`` is media's own
(``commands/media.py``). Actions are kept in the order registered; registering a name again
replaces it.
"""

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MediaAction:
    """``laurel media NAME ...``: ``summary`` ends the command's help ("...; SUMMARY (NAME)."),
    ``help`` is its line in the list of actions, ``description`` heads its own ``--help``;
    ``add_arguments(parser)`` declares its arguments, ``run(command, options)`` runs it (the
    management command, for its stdout and stderr)."""

    name: str
    summary: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    run: Callable[[Any, dict], None]
    description: str | None = None


_actions: dict[str, MediaAction] = {}


def media_action_register(
    name: str,
    *,
    summary: str,
    help: str,
    add_arguments: Callable[[ArgumentParser], None],
    run: Callable[[Any, dict], None],
    description: str | None = None,
) -> None:
    _actions[name] = MediaAction(name, summary, help, add_arguments, run, description)


def media_actions() -> list[MediaAction]:
    return list(_actions.values())
