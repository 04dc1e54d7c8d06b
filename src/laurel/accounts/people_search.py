"""Searching people — members and logins — the one way every people list does it.

Anyone may search by name and by what a masked number shows (``6889``, ``178``,
``178****6889``, ``500101``, ``123X``): the text is matched against the masked forms, so a
guess at hidden digits finds nothing. A whole ID-card or mobile number finds someone only for
a holder of the personal-data permission, only among the people that permission covers; such
searches are rate-limited per user and audited with the number masked. For anyone else a
whole number is just a text that matches nothing: the same answer, count and queries as any
other miss, so a list cannot be used to test guesses.
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat, Left, Right
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from laurel.accounts.policy import may_reveal_personal_data_somewhere
from laurel.accounts.services import number_search_record
from laurel.core.identity import personal_number_in

NUMBER_SEARCH_RATE = "30/10m"  # whole-number searches per user


class NumberSearchLimited(Ratelimited):
    """Too many searches by whole numbers: a list shows ``message``; elsewhere a 429."""

    message = _(
        "You have searched by whole ID or mobile numbers too often. "
        "Wait ten minutes, or search by name."
    )


@dataclass(frozen=True)
class PeopleFields:
    """Where a model keeps what people are searched by."""

    texts: tuple[str, ...]  # matched as given, case-insensitive (names, usernames)
    mobile: str  # the normalised mobile (11 digits, or empty / NULL)
    id_card: str | None  # the normalised ID-card number, where the model has one
    unit_path: str  # the unit path the personal-data permission is checked against


MEMBER_FIELDS = PeopleFields(
    texts=("name",), mobile="mobile", id_card="id_card", unit_path="unit__path"
)
USER_FIELDS = PeopleFields(
    texts=("username", "display_name"),
    mobile="mobile",
    id_card=None,
    unit_path="grants__unit__path",
)


def people_search(
    people: QuerySet, query: str, *, request, fields: PeopleFields, place: str
) -> QuerySet:
    """``people`` (already scoped to what the viewer may see) narrowed by ``query``.

    Raises ``NumberSearchLimited`` when a permission holder searches by whole numbers more
    often than ``NUMBER_SEARCH_RATE``. ``place`` names the list in the audit entry.
    """
    query = query.strip()
    if not query:
        return people
    condition = Q()
    for name in fields.texts:
        condition |= Q(**{f"{name}__icontains": query})
    visible = unicodedata.normalize("NFKC", query)
    people = people.alias(
        search_mobile_masked=Concat(Left(fields.mobile, 3), Value("****"), Right(fields.mobile, 4))
    )
    condition |= Q(search_mobile_masked__icontains=visible, **{f"{fields.mobile}__gt": ""})
    if fields.id_card:
        people = people.alias(
            search_id_card_masked=Concat(
                Left(fields.id_card, 6), Value("********"), Right(fields.id_card, 4)
            )
        )
        condition |= Q(search_id_card_masked__icontains=visible)
    whole = _whole_number_condition(people, query, request=request, fields=fields, place=place)
    return people.filter(condition | whole)


def _whole_number_condition(people, query, *, request, fields, place) -> Q:
    """A whole number's match, for a permission holder among the people it covers; else none."""
    number = personal_number_in(query)
    access = request.user.access
    if number is None or not may_reveal_personal_data_somewhere(access):
        return Q(pk__in=[])
    kind, value = number
    field = fields.mobile if kind == "mobile" else fields.id_card
    if field is None:
        return Q(pk__in=[])
    if is_ratelimited(
        request,
        group="accounts.people_search.number",
        key="user",
        rate=NUMBER_SEARCH_RATE,
        increment=True,
    ):
        raise NumberSearchLimited
    number_search_record(acting_user=request.user, kind=kind, number=value, place=place)
    covered = people.model.objects.filter(access.personal_data_filter(fields.unit_path))
    return Q(**{field: value}, pk__in=covered.values("pk"))
