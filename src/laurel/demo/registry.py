"""The demo's loaders, registered in order: one a domain, each idempotent by slug.

A loader is a function of a ``DemoRun`` (the command's options and output) that loads its
domain's part of the demo through that domain's services, and does nothing to what is
already there. It says which loaders' data it ``needs`` (always loaders before it) and the
command-line ``options`` it adds; ``laurel demo`` builds its options from the loaders and
runs them in ``order``, or only those named by ``--only``. Loaders register in their
modules under ``loaders/`` (imported by ``DemoConfig.ready()``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Option:
    """A command-line option a loader adds: ``parser.add_argument(flag, **arguments)``."""

    flag: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoRun:
    """What a loader is given: the command's options (``options["photos"]``) and where it
    writes (Django's ``OutputWrapper``s)."""

    options: dict[str, Any]
    stdout: Any
    stderr: Any


@dataclass(frozen=True)
class Loader:
    name: str
    order: int
    load: Callable[[DemoRun], None]
    loaded: Callable[[], bool]  # whether its data is in the database already
    needs: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()


class LoaderChoiceError(ValueError):
    """``--only`` named a loader that does not exist, or one whose prerequisite is neither
    loaded nor chosen."""


LOADERS: list[Loader] = []  # in order


def register(
    name: str,
    *,
    order: int,
    loaded: Callable[[], bool],
    needs: Iterable[str] = (),
    options: Iterable[Option] = (),
    registry: list[Loader] | None = None,
) -> Callable[[Callable[[DemoRun], None]], Callable[[DemoRun], None]]:
    """Register the decorated function as the loader ``name`` (names and orders unique),
    in any import order: the registry is kept in ``order``. ``registry``: another list
    than ``LOADERS`` (tests)."""
    registry = LOADERS if registry is None else registry

    def decorate(load: Callable[[DemoRun], None]) -> Callable[[DemoRun], None]:
        if any(loader.name == name or loader.order == order for loader in registry):
            raise ValueError(f"Demo loader {name} (order {order}) is registered already.")
        registry.append(
            Loader(name, order, load, loaded, needs=tuple(needs), options=tuple(options))
        )
        registry.sort(key=lambda loader: loader.order)
        return load

    return decorate


def needs_check(registry: list[Loader]) -> None:
    """Every loader's ``needs`` are registered loaders that come before it."""
    orders = {loader.name: loader.order for loader in registry}
    for loader in registry:
        for need in loader.needs:
            if orders.get(need, loader.order) >= loader.order:
                raise ValueError(
                    f"Demo loader {loader.name} needs {need}, which must load before it."
                )


def loaders_chosen(only: str | None, registry: list[Loader] | None = None) -> list[Loader]:
    """Every loader in order, or only those ``only`` names (``"units,members"``), still in
    order. A loader chosen alone needs its prerequisites loaded already: a prerequisite
    neither chosen nor loaded is refused with a sentence saying what to run."""
    registry = LOADERS if registry is None else registry
    needs_check(registry)
    if not only:
        return list(registry)
    names = [name.strip() for name in only.split(",") if name.strip()]
    known = [loader.name for loader in registry]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise LoaderChoiceError(
            f"Unknown demo loader: {', '.join(unknown) or '(none given)'}. "
            f"The loaders, in order: {', '.join(known)}."
        )
    by_name = {loader.name: loader for loader in registry}
    missing: dict[str, str] = {}  # a prerequisite neither chosen nor loaded → who needs it
    waiting = [by_name[name] for name in names]
    while waiting:
        loader = waiting.pop()
        for need in loader.needs:
            if need not in names and need not in missing and not by_name[need].loaded():
                missing[need] = loader.name
                waiting.append(by_name[need])
    if missing:
        together = [loader.name for loader in registry if loader.name in {*names, *missing}]
        absent = [name for name in together if name in missing]
        raise LoaderChoiceError(
            f"The demo loader {missing[absent[0]]} needs {absent[0]}, which is not loaded yet: "
            f"run laurel demo --only {','.join(together)} (or load {', '.join(absent)} first)."
        )
    return [loader for loader in registry if loader.name in names]
