"""Writes to members, teams and member imports. Each runs in one transaction with its audit."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.models import Role, RoleGrant, User
from laurel.accounts.policy import access_for, may_reveal_personal_data_somewhere
from laurel.accounts.services import member_login_create as account_for_member_create
from laurel.audit.services import audit_log, audit_log_many
from laurel.core.identity import InvalidIdCard, InvalidMobile, id_card_normalise, mobile_normalise
from laurel.core.roster import MEMBER_COLUMNS, gender_from_id_card, person_name_clean
from laurel.importing import ImportRefused, ImportResult, Progress, no_progress, sheet_read
from laurel.members import policy
from laurel.members.imports import (
    MemberImportPlan,
    member_import_plan,
    members_xlsx,
)
from laurel.members.models import Member, MemberImport, Team, TeamMembership
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
def team_create(
    *, acting_user, unit: Unit, name: str, leader: Member, members: list[Member]
) -> Team:
    """A team of members from ``unit``'s subtree; the leader is one of them."""
    members = list({m.pk: m for m in [leader, *members]}.values())
    outside = [m.name for m in members if not m.unit.path.startswith(unit.path)]
    if outside:
        raise ValidationError(
            _("Not members of %(unit)s: %(names)s.")
            % {"unit": unit.name, "names": "、".join(outside)},
            code="outside_unit",
        )
    team = Team(unit=unit, name=name.strip(), leader=leader)
    team.full_clean()
    team.save()
    TeamMembership.objects.bulk_create(TeamMembership(team=team, member=m) for m in members)
    audit_log(
        actor=acting_user,
        action="members.team.created",
        obj=team,
        unit=unit,
        data={"leader": leader.pk, "members": [m.pk for m in members]},
    )
    return team


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
