"""The inbox through the one listing (web.tables), drawn as cards: one's own messages only,
searched, filtered by read or unread, a page at a time, newest first."""

import re

from laurel.notifications.models import Notification
from laurel.notifications.services import notification_send, notifications_mark_read

INBOX = "/inbox/"


def shown_titles(response) -> list[str]:
    assert response.status_code == 200
    body = response.content.decode()
    return re.findall(
        r'<li class="card[^"]*" id="notification-\d+">.*?<div>([^<]+)</div>', body, re.S
    )


def test_only_ones_own_messages_newest_first_searched_and_filtered(users, client_as):
    member = users["member"]
    for title in ("比赛开始", "作品已收到", "获奖通知"):
        notification_send(recipient=member, title=title, body=f"{title}的详情")
    notification_send(recipient=users["judge"], title="评审任务")
    first = Notification.objects.get(title="比赛开始")
    notifications_mark_read(recipient=member, notification_ids=[first.pk])
    client = client_as("member")
    assert shown_titles(client.get(INBOX)) == ["获奖通知", "作品已收到", "比赛开始"]
    assert shown_titles(client.get(INBOX, {"q": "获奖"})) == ["获奖通知"]
    assert shown_titles(client.get(INBOX, {"q": "收到的详情"})) == ["作品已收到"]  # the body
    assert shown_titles(client.get(INBOX, {"q": "评审"})) == []  # someone else's
    assert shown_titles(client.get(INBOX, {"state": "unread"})) == ["获奖通知", "作品已收到"]
    assert shown_titles(client.get(INBOX, {"state": "read"})) == ["比赛开始"]


def test_messages_come_thirty_a_page(users, client_as):
    for n in range(35):
        notification_send(recipient=users["member"], title=f"消息{n:02d}")
    client = client_as("member")
    first, second = shown_titles(client.get(INBOX)), shown_titles(client.get(INBOX, {"page": 2}))
    assert (len(first), len(second)) == (30, 5)
    assert first[0] == "消息34"
    assert second[-1] == "消息00"


def test_the_inbox_offers_no_spreadsheet(users, client_as):
    notification_send(recipient=users["member"], title="获奖通知")
    client = client_as("member")
    assert 'class="listing-export"' not in client.get(INBOX).content.decode()
    assert shown_titles(client.get(INBOX, {"export": "xlsx"})) == ["获奖通知"]  # the page
