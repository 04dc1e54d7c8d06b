"""Writes to members, teams, member imports and team imports. Each runs in one transaction
with its audit."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models.deletion import Collector, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.models import Role, RoleGrant, User
from laurel.accounts.policy import access_for, may_reveal_personal_data_somewhere
from laurel.accounts.services import member_login_create as account_for_member_create
from laurel.audit.services import audit_log, audit_log_many
from laurel.core.identity import InvalidIdCard, InvalidMobile, id_card_normalise, mobile_normalise
from laurel.core.roster import (
    MEMBER_COLUMNS,
    TEAM_COLUMNS,
    gender_from_id_card,
    person_name_clean,
)
from laurel.importing import ImportRefused, ImportResult, Progress, no_progress, sheet_read
from laurel.members import policy
from laurel.members.imports import (
    MemberImportPlan,
    member_import_plan,
    members_xlsx,
)
from laurel.members.models import Member, MemberImport, Team, TeamImport, TeamMembership
from laurel.members.team_imports import kind_taken, team_import_plan
from laurel.orgs.models import Unit
from laurel.web.access import Access

# What the `laurel` commands act as when no --as-user is given: the federation itself.
SYSTEM_ACCESS = Access(user_id=None, is_federation_admin=True)


def acting_access(acting_user) -> Access:
    return SYSTEM_ACCESS if acting_user is None else access_for(acting_user)


@transaction.atomic
def member_create(
    *,
    acting_user,
    name: str,
    id_card: str,
    unit: Unit,
    mobile: str = "",
    industry: str = "",
    job_title: str = "",
) -> Member:
    try:
        number = id_card_normalise(id_card)
    except InvalidIdCard as error:
        raise ValidationError({"id_card": _("Not a valid ID number.")}, code=error.code) from None
    try:
        mobile = mobile_normalise(mobile) if mobile else ""
    except InvalidMobile:
        raise ValidationError({"mobile": _("Not a mainland mobile number.")}) from None
    member = Member(
        name=person_name_clean(name),
        gender=gender_from_id_card(number),
        id_card=number,
        mobile=mobile,
        unit=unit,
        industry=industry or unit.industry,
        job_title=job_title,
    )
    member.full_clean()
    member.save()
    audit_log(
        actor=acting_user,
        action="members.member.created",
        obj=member,
        unit=unit,
        data={"id_card": number, "mobile": mobile, "unit": unit.code},
    )
    return member


@transaction.atomic
def member_login_create(*, acting_user, member: Member) -> tuple[User, str]:
    """A login for a member, linked to them, with a one-off password to hand over."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.user_id is not None:
        raise ValidationError(_("This member already has a login."), code="has_login")
    mobile_free = member.mobile and not User.objects.filter(mobile=member.mobile).exists()
    user, initial_password = account_for_member_create(
        acting_user=acting_user,
        unit=member.unit,
        username=f"member{member.pk}",
        display_name=member.name,
        mobile=member.mobile if mobile_free else None,
    )
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit_log(
        actor=acting_user, action="members.member.login_created", obj=member, unit=member.unit
    )
    return user, initial_password


@transaction.atomic
def member_user_link(*, acting_user, member: Member, user: User) -> None:
    """Link an existing login to a member record (one login per member)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.user_id not in (None, user.pk) or Member.objects.filter(user=user).exists():
        raise ValidationError(_("This login or member is already linked."), code="linked")
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit_log(
        actor=acting_user,
        action="members.member.login_linked",
        obj=member,
        unit=member.unit,
        data={"user": user.username},
    )


@transaction.atomic
def members_export(
    *, acting_user, members, description: str = "", full_numbers: bool = False
) -> bytes:
    """The members as .xlsx, numbers masked, recorded in the audit log.

    ``full_numbers`` asks for whole numbers: a holder of the personal-data permission gets
    them for the members it covers (the others stay masked), recorded as its own action
    ``members.exported_unmasked``; for anyone else the sheet stays masked.
    """
    access = access_for(acting_user)
    unmasked = full_numbers and may_reveal_personal_data_somewhere(access)
    content = members_xlsx(access, members, full_numbers=unmasked)
    data = {"rows": members.count(), "filter": description}
    if unmasked:
        covered = members.filter(access.personal_data_filter("unit__path"))
        data["unmasked_rows"] = covered.count()
    audit_log(
        actor=acting_user,
        action="members.exported_unmasked" if unmasked else "members.exported",
        data=data,
    )
    return content


@transaction.atomic
def member_numbers_reveal(*, acting_user, member: Member) -> tuple[str, str]:
    """A member's ID-card and mobile numbers whole, for a holder of the personal-data
    permission who asked: audited (masked in the entry). ``PermissionDenied`` otherwise."""
    access = access_for(acting_user)
    if not policy.may_reveal_personal_numbers(access, member):
        raise PermissionDenied
    audit_log(
        actor=acting_user,
        action="members.personal_data.revealed",
        obj=member,
        unit=member.unit,
        data={"id_card": member.id_card, "mobile": member.mobile},
    )
    return (
        policy.id_card_shown_to(access, member, revealed=True),
        policy.mobile_shown_to(access, member, revealed=True),
    )


# --- imports ----------------------------------------------------------------------------


def member_file_import(
    *,
    acting_user,
    source,
    filename: str = "",
    default_unit: Unit | None = None,
    dry_run: bool = False,
    progress: Progress = no_progress,
) -> ImportResult:
    """Import a roster file (path or bytes). Raises ``ImportRefused`` for an unusable file.

    Bad rows are rejected with their reasons and never stop the good ones; the good ones are
    written together or not at all. A dry run plans everything and writes nothing.
    """
    table = sheet_read(source, MEMBER_COLUMNS, filename)
    access = acting_access(acting_user)
    if default_unit is not None and not access.administers(default_unit.path):
        raise ImportRefused(
            _("You do not administer the unit %(code)s.") % {"code": default_unit.code}
        )
    plan = member_import_plan(
        access=access, table=table, default_unit=default_unit, progress=progress
    )
    if not dry_run:
        try:
            member_import_apply(acting_user=acting_user, plan=plan, filename=filename)
        except IntegrityError:
            raise ImportRefused(
                _(
                    "Someone else changed some of these members at the same moment; nothing "
                    "from this file was written. Import it again."
                )
            ) from None
    return ImportResult(outcomes=plan.outcomes, dry_run=dry_run)


@transaction.atomic
def member_import_apply(*, acting_user, plan: MemberImportPlan, filename: str) -> None:
    Member.objects.bulk_create(plan.creates, batch_size=500)
    changed_fields = sorted({name for update in plan.updates for name in update.changed})
    if plan.updates:
        Member.objects.bulk_update(
            [u.member for u in plan.updates], [*changed_fields, "updated_at"], batch_size=500
        )
    now = timezone.now()
    for update in plan.updates:
        update.member.updated_at = now
        if "unit_id" in update.changed and update.member.user_id:
            RoleGrant.objects.filter(
                user_id=update.member.user_id, role=Role.MEMBER, unit=update.old_unit
            ).update(unit=update.member.unit)
    audit_log_many(
        actor=acting_user,
        action="members.member.imported",
        changes=[(m, m.unit, {"id_card": m.id_card, "unit": m.unit.code}) for m in plan.creates],
    )
    audit_log_many(
        actor=acting_user,
        action="members.member.updated",
        changes=[
            (
                u.member,
                u.member.unit,
                {"changed": u.changed, "from_unit": u.old_unit.code, "unit": u.member.unit.code},
            )
            for u in plan.updates
        ],
    )
    result = ImportResult(outcomes=plan.outcomes, dry_run=False)
    audit_log(
        actor=acting_user,
        action="members.import.committed",
        data={"file": filename, **result.counts},
    )


def progress_key(member_import: MemberImport) -> str:
    return f"members:import:{member_import.pk}:progress"


@transaction.atomic
def member_import_preview(
    *, acting_user, content: bytes, filename: str, default_unit: Unit | None
) -> MemberImport:
    """Keep an uploaded roster and its dry-run outcome, to be committed after a look."""
    result = member_file_import(
        acting_user=acting_user,
        source=content,
        filename=filename,
        default_unit=default_unit,
        dry_run=True,
    )
    upload = MemberImport.objects.create(
        uploaded_by=acting_user,
        unit=default_unit,
        filename=filename[:255],
        content=content,
        counts=result.counts,
        outcomes=result.as_json(),
    )
    audit_log(
        actor=acting_user,
        action="members.import.previewed",
        obj=upload,
        unit=default_unit,
        data={"file": filename, **result.counts},
    )
    return upload


@transaction.atomic
def member_import_commit(*, acting_user, member_import: MemberImport) -> None:
    """Queue the import of a previewed roster (it runs after this transaction commits)."""
    from laurel.members.tasks import member_import_run  # tasks import services

    upload = MemberImport.objects.select_for_update().get(pk=member_import.pk)
    if upload.status != MemberImport.Status.PREVIEWED:
        raise ValidationError(_("This file has already been imported."), code="not_previewed")
    upload.status = MemberImport.Status.RUNNING
    upload.save(update_fields=["status"])
    audit_log(actor=acting_user, action="members.import.started", obj=upload, unit=upload.unit)
    transaction.on_commit(lambda: member_import_run.delay(upload.pk))


def member_import_run(member_import_id: int) -> str:
    """The import itself (the task's body): re-plans against the current data, then writes.

    Idempotent: an import that is not running is left alone. The rows and the import's new
    status are written in one transaction; if anything fails, none of the rows are written
    and the import is marked failed.
    """
    try:
        with transaction.atomic():
            upload = (
                MemberImport.objects.select_for_update(of=("self",))
                .select_related("uploaded_by", "unit")
                .get(pk=member_import_id)
            )
            if upload.status != MemberImport.Status.RUNNING:
                return upload.status

            def progress(done: int, total: int) -> None:
                cache.set(progress_key(upload), [done, total], timeout=3600)

            try:
                result = member_file_import(
                    acting_user=upload.uploaded_by,
                    source=bytes(upload.content),
                    filename=upload.filename,
                    default_unit=upload.unit,
                    progress=progress,
                )
            except ImportRefused as error:
                _import_finish(upload, status=MemberImport.Status.FAILED, error=str(error))
            else:
                _import_finish(upload, status=MemberImport.Status.COMMITTED, result=result)
            return upload.status
    except Exception:
        upload = MemberImport.objects.select_related("uploaded_by", "unit").get(pk=member_import_id)
        _import_finish(
            upload,
            status=MemberImport.Status.FAILED,
            error=_("The import failed and nothing was written; please try again."),
        )
        raise


@transaction.atomic
def _import_finish(upload: MemberImport, *, status, result: ImportResult | None = None, error=""):
    upload.status = status
    upload.error = error
    upload.committed_at = timezone.now()
    upload.content = b""  # the personal numbers are in the database now; drop the copy
    if result is not None:
        upload.counts = result.counts
        upload.outcomes = result.as_json()
    upload.save()
    audit_log(
        actor=upload.uploaded_by,
        action=f"members.import.{status}",
        obj=upload,
        unit=upload.unit,
        data={"file": upload.filename, **upload.counts, "error": error},
    )


# --- teams ------------------------------------------------------------------------------
# A team's members lie in its unit's subtree; its leader is one of them; a person is in at
# most one team of a kind (a blank kind is no kind: teams without one are not limited).

TEAM_NAME_MAX = Team._meta.get_field("name").max_length
TEAM_KIND_MAX = Team._meta.get_field("kind").max_length


def _team_members_check(*, unit: Unit, kind: str, members: list[Member], team=None) -> None:
    """Refuse members outside ``unit``'s subtree, or already in another team of ``kind``.

    Locks the members' rows first, so that two teams of one kind taking the same person at
    the same moment are decided one after the other.
    """
    pks = sorted(m.pk for m in members)
    list(Member.objects.select_for_update().filter(pk__in=pks).order_by("pk").values("pk"))
    outside = [m.name for m in members if not m.unit.path.startswith(unit.path)]
    if outside:
        raise ValidationError(
            _("Not members of %(unit)s: %(names)s.")
            % {"unit": unit.name, "names": "、".join(outside)},
            code="outside_unit",
        )
    taken = kind_taken(kind, pks, besides=team)
    if taken:
        raise ValidationError(
            _("Already in another team of the kind “%(kind)s”: %(names)s.")
            % {"kind": kind, "names": "、".join(m.name for m in members if m.pk in taken)},
            code="kind_taken",
        )


@transaction.atomic
def team_create(
    *,
    acting_user,
    unit: Unit,
    name: str,
    leader: Member,
    members: list[Member],
    kind: str = "",
) -> Team:
    """A team of members from ``unit``'s subtree; the leader is one of them (added if
    ``members`` leaves them out)."""
    members = list({m.pk: m for m in [leader, *members]}.values())
    kind = kind.strip()
    _team_members_check(unit=unit, kind=kind, members=members)
    team = Team(unit=unit, name=name.strip(), kind=kind, leader=leader)
    team.full_clean()
    team.save()
    TeamMembership.objects.bulk_create(TeamMembership(team=team, member=m) for m in members)
    audit_log(
        actor=acting_user,
        action="members.team.created",
        obj=team,
        unit=unit,
        data={"kind": kind, "leader": leader.pk, "members": [m.pk for m in members]},
    )
    return team


@transaction.atomic
def team_update(
    *,
    acting_user,
    team: Team,
    name: str | None = None,
    kind: str | None = None,
    leader: Member | None = None,
    members: list[Member] | None = None,
) -> Team:
    """Change a team's name, kind, leader or members (None: left as it is). The leader must
    be among the members the team ends with; a new kind is checked against every member."""
    team = Team.objects.select_for_update().select_related("unit").get(pk=team.pk)
    before = {
        "name": team.name,
        "kind": team.kind,
        "leader": team.leader_id,
        "members": sorted(team.members.values_list("pk", flat=True)),
    }
    ending = (
        list({m.pk: m for m in members}.values())
        if members is not None
        else list(team.members.select_related("unit"))
    )
    team.name = team.name if name is None else name.strip()
    team.kind = team.kind if kind is None else kind.strip()
    team.leader_id = team.leader_id if leader is None else leader.pk
    if team.leader_id not in {m.pk for m in ending}:
        raise ValidationError(
            {"leader": _("The leader must be a member of the team.")}, code="leader_not_member"
        )
    _team_members_check(unit=team.unit, kind=team.kind, members=ending, team=team)
    team.full_clean()
    team.save()
    added = [m for m in ending if m.pk not in before["members"]]
    removed = sorted(set(before["members"]) - {m.pk for m in ending})
    TeamMembership.objects.filter(team=team, member_id__in=removed).delete()
    TeamMembership.objects.bulk_create(TeamMembership(team=team, member=m) for m in added)
    after = {
        "name": team.name,
        "kind": team.kind,
        "leader": team.leader_id,
        "members": sorted(m.pk for m in ending),
    }
    changed = [key for key in before if before[key] != after[key]]
    if changed:
        audit_log(
            actor=acting_user,
            action="members.team.updated",
            obj=team,
            unit=team.unit,
            data={"changed": changed, "before": before, "after": after},
        )
    return team


@transaction.atomic
def team_members_add(*, acting_user, team: Team, members: list[Member]) -> int:
    """Add ``members`` to the team (those already in it are left alone); how many joined."""
    team = Team.objects.select_for_update().select_related("unit").get(pk=team.pk)
    current = set(team.members.values_list("pk", flat=True))
    joining = [m for m in {m.pk: m for m in members}.values() if m.pk not in current]
    _team_members_check(unit=team.unit, kind=team.kind, members=joining, team=team)
    TeamMembership.objects.bulk_create(TeamMembership(team=team, member=m) for m in joining)
    audit_log_many(
        actor=acting_user,
        action="members.team.member_added",
        changes=[(team, team.unit, {"member": m.pk, "name": m.name}) for m in joining],
    )
    return len(joining)


@transaction.atomic
def team_member_remove(*, acting_user, team: Team, member: Member) -> None:
    """Take ``member`` out of the team; the leader stays until another is chosen."""
    team = Team.objects.select_for_update().select_related("unit").get(pk=team.pk)
    if member.pk == team.leader_id:
        raise ValidationError(
            _("%(name)s leads the team: choose another leader before removing them.")
            % {"name": member.name},
            code="leader",
        )
    deleted, _kinds = TeamMembership.objects.filter(team=team, member=member).delete()
    if deleted:
        audit_log(
            actor=acting_user,
            action="members.team.member_removed",
            obj=team,
            unit=team.unit,
            data={"member": member.pk, "name": member.name},
        )


def team_dissolve_refusal(team: Team) -> str:
    """Why ``team`` cannot be dissolved, or "" when it can: a team that has entered a
    contest keeps existing, since every entry — withdrawn or not, and any prize it won —
    names its entrant for good. Changes nothing."""
    collector = Collector(using=router.db_for_write(Team))
    try:
        collector.collect([team])
    except ProtectedError as error:
        return _(
            "“%(team)s” cannot be dissolved: it has entered contests (%(count)s entries), and "
            "an entry keeps its entrant for good, withdrawn or not. Its name, leader and "
            "members can still be changed."
        ) % {"team": team.name, "count": len(error.protected_objects)}
    return ""


@transaction.atomic
def team_dissolve(*, acting_user, team: Team) -> None:
    """Delete the team and its memberships (the members stay in the roster); refused, saying
    why, for a team that has entered a contest (``team_dissolve_refusal``)."""
    team = Team.objects.select_for_update().select_related("unit").get(pk=team.pk)
    refusal = team_dissolve_refusal(team)
    if refusal:
        raise ValidationError(refusal, code="has_entries")
    data = {
        "name": team.name,
        "kind": team.kind,
        "leader": team.leader_id,
        "members": sorted(team.members.values_list("pk", flat=True)),
    }
    audit_log(
        actor=acting_user, action="members.team.dissolved", obj=team, unit=team.unit, data=data
    )
    team.delete()


# --- team imports -------------------------------------------------------------------------


def team_file_import(
    *,
    acting_user,
    source,
    unit: Unit,
    name: str,
    kind: str | None = None,
    filename: str = "",
    dry_run: bool = False,
) -> tuple[ImportResult, Team | None]:
    """Import a team sheet (path or bytes) as the team ``name`` of ``unit``, made if missing.
    Raises ``ImportRefused`` for an unusable file or a unit the user does not administer.

    Every row is judged alone (``team_imports.team_import_plan``); bad rows are rejected with
    their reasons and never stop the good ones, which are written together or not at all. The
    counts are of rows (people). Importing the same sheet again changes nothing. A dry run
    plans everything and writes nothing. Returns the result and the team (None when there is
    none yet: a dry run for a new team, or no good row).
    """
    table = sheet_read(source, TEAM_COLUMNS, filename)
    access = acting_access(acting_user)
    name, kind = name.strip(), (kind or "").strip()
    if not name or len(name) > TEAM_NAME_MAX:
        raise ImportRefused(
            _("Name the team, in at most %(limit)s characters.") % {"limit": TEAM_NAME_MAX}
        )
    if len(kind) > TEAM_KIND_MAX:
        raise ImportRefused(
            _("A team's kind has at most %(limit)s characters.") % {"limit": TEAM_KIND_MAX}
        )
    try:
        with transaction.atomic():
            plan = team_import_plan(access=access, table=table, unit=unit, name=name, kind=kind)
            team = plan.team
            if not dry_run:
                team = _team_import_apply(
                    acting_user=acting_user, plan=plan, unit=unit, name=name, filename=filename
                )
    except (IntegrityError, ValidationError):
        raise ImportRefused(
            _(
                "Someone else changed this team or its people at the same moment; nothing from "
                "this file was written. Import it again."
            )
        ) from None
    return ImportResult(outcomes=plan.outcomes, dry_run=dry_run), team


def _team_import_apply(*, acting_user, plan, unit: Unit, name: str, filename: str):
    if plan.team is None and not plan.joining:
        return None
    if plan.team is None:
        team = team_create(
            acting_user=acting_user,
            unit=unit,
            name=name,
            kind=plan.kind,
            leader=plan.leader,
            members=plan.joining,
        )
    else:
        team = plan.team
        team_members_add(acting_user=acting_user, team=team, members=plan.joining)
        if plan.leader_changes:
            team = team_update(acting_user=acting_user, team=team, leader=plan.leader)
    result = ImportResult(outcomes=plan.outcomes, dry_run=False)
    audit_log(
        actor=acting_user,
        action="members.team_import.committed",
        obj=team,
        unit=unit,
        data={"file": filename, "team": name, **result.counts},
    )
    return team


@transaction.atomic
def team_import_preview(
    *, acting_user, content: bytes, filename: str, unit: Unit, name: str, kind: str = ""
) -> TeamImport:
    """Keep an uploaded team sheet and its dry-run outcome, to be committed after a look."""
    result, team = team_file_import(
        acting_user=acting_user,
        source=content,
        filename=filename,
        unit=unit,
        name=name,
        kind=kind,
        dry_run=True,
    )
    upload = TeamImport.objects.create(
        uploaded_by=acting_user,
        unit=unit,
        team_name=name.strip(),
        kind=kind.strip(),
        team=team,
        filename=filename[:255],
        content=content,
        counts=result.counts,
        outcomes=result.as_json(),
    )
    audit_log(
        actor=acting_user,
        action="members.team_import.previewed",
        obj=upload,
        unit=unit,
        data={"file": filename, "team": upload.team_name, **result.counts},
    )
    return upload


@transaction.atomic
def team_import_commit(*, acting_user, team_import: TeamImport) -> TeamImport:
    """Import a previewed team sheet now (a team sheet is small): the rows are judged again
    against the data as it is, so the outcome may differ from the preview's. A file refused
    now is marked failed, with why; either way the kept copy of the file is dropped."""
    upload = (
        TeamImport.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=team_import.pk)
    )
    if upload.status != TeamImport.Status.PREVIEWED:
        raise ValidationError(_("This file has already been imported."), code="not_previewed")
    try:
        result, team = team_file_import(
            acting_user=acting_user,
            source=bytes(upload.content),
            filename=upload.filename,
            unit=upload.unit,
            name=upload.team_name,
            kind=upload.kind,
        )
    except ImportRefused as error:  # recorded as failed; the rows' import wrote nothing
        upload.status, upload.error = TeamImport.Status.FAILED, str(error)
        audit_log(
            actor=acting_user,
            action="members.team_import.failed",
            obj=upload,
            unit=upload.unit,
            data={"file": upload.filename, "error": upload.error},
        )
    else:  # the import's own entry (members.team_import.committed) records it
        upload.status, upload.team = TeamImport.Status.COMMITTED, team
        upload.counts, upload.outcomes = result.counts, result.as_json()
    upload.committed_at = timezone.now()
    upload.content = b""  # the personal numbers are in the database now; drop the copy
    upload.save()
    return upload
