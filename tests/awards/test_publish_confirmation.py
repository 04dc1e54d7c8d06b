"""Publishing asks first: a post without ``confirm=1`` shows how many entrants and units will
be told (nothing is published); the confirmed post publishes and tells exactly them."""

from django.urls import reverse

from laurel.awards import services as awards
from laurel.awards.models import Publication
from laurel.members.services import member_user_link
from laurel.notifications.models import Notification
from tests.judging.test_confirmations import consequences


def test_publishing_asks_first_naming_the_entrants_and_units_told(
    judged_contest, users, make_user, world, client_as
):
    organiser = users["federation_admin"]
    awards.awards_propose(acting_user=organiser, contest=judged_contest)
    # the two best entries' entrants have logins (永川区 and 奉节县); both districts have admins
    entrants = set()
    for n in (0, 1):
        author = judged_contest.test_entries[n].author
        login = make_user("member", author.unit)
        member_user_link(acting_user=None, member=author, user=login)
        entrants.add(login.pk)
    fengjie_admin = make_user("unit_admin", world.other_district)
    client = client_as("federation_admin")
    url = reverse("awards:console_results_publish", args=[judged_contest.slug])

    judged = Notification.objects.count()  # the judges were told of their work
    asked = client.post(url)
    assert asked.status_code == 200
    counts = consequences(asked).counts
    assert counts == {"entrants": 2, "units": 2, "prizes": 6}
    assert not Publication.objects.exists()
    assert Notification.objects.count() == judged

    acted = client.post(url, {"confirm": "1"})
    assert acted.status_code == 302
    assert Publication.objects.filter(contest=judged_contest).count() == 1
    admins = {users["unit_admin"].pk, fengjie_admin.pk}
    told = set(Notification.objects.order_by("pk")[judged:].values_list("recipient_id", flat=True))
    assert told == entrants | admins
