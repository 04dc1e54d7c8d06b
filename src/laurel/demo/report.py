"""What ``laurel demo`` prints when it has loaded: the demo contests and their rounds and
results, the logins (username / password), and the 2024 contest's public pages. Only what
is in the database is told (``laurel demo --only units`` prints the count of units)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.models import User
from laurel.awards import selectors as awards_selectors
from laurel.awards.models import Award
from laurel.contests.models import Contest
from laurel.core.completion import Standing
from laurel.demo import carnival as demo_carnival
from laurel.demo import judges as demo_judging
from laurel.demo.loaders import course as demo_course
from laurel.demo.loaders.craftsmen import CONTEST_JUDGING
from laurel.demo.loaders.logins import LOGINS, PASSWORD
from laurel.demo.loaders.performance import SLUG as PERFORMANCE
from laurel.demo.loaders.photo_contest import CONTEST_2024, CONTEST_OPEN
from laurel.events import selectors as events_selectors
from laurel.events.models import Event, Registration
from laurel.judging.models import Assignment, Round
from laurel.members.models import Member, TeamMembership
from laurel.orgs.models import Unit


def report_write(stdout, style) -> None:
    """The demo as loaded, on ``stdout`` (a command's ``OutputWrapper``; ``style`` its)."""
    for contest in Contest.objects.filter(slug__in=[CONTEST_2024, CONTEST_JUDGING, CONTEST_OPEN]):
        stdout.write(
            f"Contest {contest.slug}: {contest.get_state_display()}, "
            f"{contest.entries.count()} entries · {contest.title}"
        )
        for round_ in contest.rounds.all():
            results = round_.results.all()
            reviews = round_.assignments.exclude(state=Assignment.State.WITHDRAWN)
            outcome = (
                f"{reviews.filter(state=Assignment.State.DONE).count()} of "
                f"{reviews.count()} reviews done, due "
                f"{timezone.localtime(round_.deadline):%Y-%m-%d %H:%M}"
                if round_.state == Round.State.OPEN
                else f"{results.count()} entries, {results.filter(advanced=True).count()} go on"
            )
            stdout.write(
                f"Round {round_.name} ({round_.get_mode_display()}): "
                f"{round_.get_state_display()}, {outcome}, {round_.seats.count()} judges"
            )
        publication = awards_selectors.latest_publication(contest)
        if publication is not None:
            published = timezone.localtime(publication.published_at)
            stdout.write(
                f"Results v{publication.version} published {published:%Y-%m-%d %H:%M}: "
                f"{Award.objects.filter(contest=contest).count()} prizes, "
                f"digest {publication.digest}"
            )
    carnival_report(stdout)
    performance_report(stdout)
    course_report(stdout)
    logins = [login for login in LOGINS if User.objects.filter(username=login[0]).exists()]
    stdout.write(
        style.SUCCESS(
            f"Demo world: {Unit.objects.count()} units, {Member.objects.count()} members."
            + (" Logins (username / password):" if logins else "")
        )
    )
    for username, name, _mobile, role, _unit in logins:
        stdout.write(f"  {username:<10} {PASSWORD:<12} {role.label} · {name}{work_of(username)}")
    panel = [judge.username for judge in demo_judging.judges()]
    if User.objects.filter(username__in=panel).count() == len(panel):
        stdout.write(
            f"The {len(panel)} judges of {CONTEST_2024}, {panel[0]} to {panel[-1]}, "
            f"share the password {PASSWORD}."
        )
    contest_2024 = Contest.objects.filter(slug=CONTEST_2024).first()
    if contest_2024 is not None:
        public_pages(stdout, contest_2024)


def carnival_report(stdout) -> None:
    """The carnival: who came, and its occupancy in short (the full table: ``laurel events
    occupancy``; the chart: the organisers' page)."""
    event = Event.objects.filter(slug=demo_carnival.SLUG).first()
    if event is None:
        return
    holding = event.registrations.filter(state__in=Registration.HOLDING)
    teams = holding.exclude(team=None).values("team")
    people = set(holding.exclude(member=None).values_list("member_id", flat=True))
    people |= set(TeamMembership.objects.filter(team__in=teams).values_list("member", flat=True))
    stdout.write(
        f"Event {event.slug}: {event.get_state_display()}, {teams.count()} teams and "
        f"{len(people)} people registered · {event.title}"
    )
    rows = events_selectors.occupancy(event, by_slot=True)
    waiting: dict[str, int] = {}
    for row in rows:
        if row.waiting:
            waiting[row.booth] = waiting.get(row.booth, 0) + row.waiting
    stdout.write(
        f"Occupancy: {sum(row.registered for row in rows)} of "
        f"{sum(row.capacity for row in rows)} places taken in {len(rows)} slots of "
        f"{len({row.booth for row in rows})} booths; {sum(row.full for row in rows)} slots full, "
        f"{sum(waiting.values())} waiting ("
        + ", ".join(f"{booth} {count}" for booth, count in waiting.items())
        + f"). Per slot: laurel events occupancy {event.slug} --slots; the chart: "
        f"{settings.LAUREL_PUBLIC_URL}{reverse('events:console_occupancy', args=[event.slug])}"
    )
    stdout.write(
        f"Attendance: {sum(row.checked_in for row in rows)} of "
        f"{sum(row.registered for row in rows)} places checked in; per booth, slot and unit: "
        f"{settings.LAUREL_PUBLIC_URL}{reverse('events:console_attendance', args=[event.slug])}"
    )


def performance_report(stdout) -> None:
    """The 万盛 performance: its programme in short, and where anyone reads and prints it."""
    event = Event.objects.filter(slug=PERFORMANCE).first()
    if event is None:
        return
    programme = events_selectors.programme(event)
    stdout.write(
        f"Event {event.slug}: {event.get_state_display()}, {len(programme.acts)} acts, "
        f"running time {programme.total} · {event.title}. Programme: "
        f"{settings.LAUREL_PUBLIC_URL}{reverse('events:detail', args=[event.slug])}, to print: "
        f"{settings.LAUREL_PUBLIC_URL}{reverse('events:programme_pdf', args=[event.slug])}"
    )


def course_report(stdout) -> None:
    """The 惠工课堂 course as the story stands at its showcase's end: enrolled, the classes
    held of all, where its members stand towards completion."""
    event = Event.objects.filter(slug=demo_course.SLUG).first()
    if event is None:
        return
    showcase = event.showcases.first()
    stands = showcase.ends_at if showcase is not None else timezone.now()
    attendance = events_selectors.course_attendance(event, now=stands)
    held = sum(events_selectors.class_held(session, stands) for session in attendance.sessions)
    waiting = event.registrations.filter(state=Registration.State.WAITING).count()
    stdout.write(
        f"Event {event.slug}: {event.get_state_display()}, {len(attendance.rows)} enrolled "
        f"({waiting} waiting); on {timezone.localdate(stands)} {held} of "
        f"{len(attendance.sessions)} classes held, {attendance.count(Standing.COMPLETED)} "
        f"completed, {attendance.count(Standing.ON_TRACK)} on track, "
        f"{attendance.count(Standing.OUT_OF_REACH)} cannot complete · {event.title}"
    )


def work_of(username: str) -> str:
    """What a login has waiting in an open round, said on its line ("" if nothing)."""
    waiting = Assignment.objects.filter(
        judge__username=username,
        state=Assignment.State.OPEN,
        round__state=Round.State.OPEN,
    ).select_related("round__contest")
    first = waiting.order_by("round__deadline").first()
    if first is None:
        return ""
    round_ = first.round
    return (
        f" — the judge login: round {round_.name} of {round_.contest.slug} is open, "
        f"{waiting.filter(round=round_).count()} reviews to do by "
        f"{timezone.localtime(round_.deadline):%Y-%m-%d %H:%M} at "
        f"{settings.LAUREL_PUBLIC_URL}{reverse('judging:judge_home')}"
    )


def public_pages(stdout, contest: Contest) -> None:
    """The published results and the exhibition, for anyone (no login)."""
    if awards_selectors.latest_publication(contest) is None:
        return
    phase = awards_selectors.exhibition_phase(contest)
    stdout.write(
        f"Public pages of {contest.slug} (no login): results {settings.LAUREL_PUBLIC_URL}"
        f"{reverse('awards:public_results', args=[contest.slug])} · exhibition "
        f"{settings.LAUREL_PUBLIC_URL}{reverse('awards:exhibition', args=[contest.slug])} "
        f"({contest.exhibition_opens_on} – {contest.exhibition_closes_on}: {phase})"
    )
