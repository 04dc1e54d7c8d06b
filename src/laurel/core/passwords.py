"""Password strength rules (等保 2.0 level 2: length and a mix of character classes)."""

import string
from dataclasses import dataclass

CHARACTER_CLASSES = {
    "upper": frozenset(string.ascii_uppercase),
    "lower": frozenset(string.ascii_lowercase),
    "digit": frozenset(string.digits),
}


def character_classes(password: str) -> set[str]:
    """The classes a password draws on: upper, lower, digit, symbol (anything else)."""
    found = set()
    for char in password:
        for name, members in CHARACTER_CLASSES.items():
            if char in members:
                found.add(name)
                break
        else:
            found.add("symbol")
    return found


@dataclass(frozen=True)
class PasswordRule:
    min_length: int
    min_classes: int

    def problems(self, password: str) -> list[str]:
        """Stable problem codes: ``too_short`` and ``too_few_classes``."""
        problems = []
        if len(password) < self.min_length:
            problems.append("too_short")
        if len(character_classes(password)) < self.min_classes:
            problems.append("too_few_classes")
        return problems
