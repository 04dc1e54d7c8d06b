"""What contests announce to the apps above them, which listen from their AppConfig.ready()
(contests import none of them).

``contest_changed(sender=Contest, contest=...)``: a contest's settings changed (its title,
dates, venue, ...). Sent inside the change's transaction; a receiver that acts on it after
the commit defers itself (``transaction.on_commit``).
"""

from django.dispatch import Signal

contest_changed = Signal()
