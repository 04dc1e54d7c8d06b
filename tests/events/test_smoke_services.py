from laurel.events import services
from laurel.events.models import Registration
from tests.conftest import make_member
from tests.events.conftest import slot_of


def test_register_wait_cancel_promote(event_factory, world, users, member_self, district_team):
    event = event_factory()
    slot = slot_of(event, "花艺馆", 9)
    a = services.registration_create(acting_user=users["member"], event=event, slot=slot, member=member_self)
    assert a.state == "registered"
    b = services.registration_create(acting_user=None, event=event, slot=slot, member=make_member(world.grassroots, 7))
    assert b.state == "registered"
    c = services.registration_create(acting_user=None, event=event, slot=slot, member=make_member(world.grassroots, 8))
    assert c.state == "waiting" and c.waiting_place == 1
    t = services.registration_create(acting_user=users["unit_admin"], event=event, slot=slot_of(event, "剪纸馆", 9), team=district_team)
    assert t.state == "registered" and t.registration.places == 3
    promoted = services.registration_cancel(acting_user=users["member"], registration=a.registration)
    assert [p.pk for p in promoted] == [c.registration.pk]
    c.registration.refresh_from_db()
    assert c.registration.state == Registration.State.REGISTERED
