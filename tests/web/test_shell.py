"""The UI shell: Chinese by default, English on request, assets served by the app."""

import re

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse


def test_chinese_is_the_default_and_english_is_one_switch_away(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")  # the browser's wish is not a choice
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page  # the compiled zh-Hans catalogue is in use

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page
    assert "登录" not in page


def test_no_page_loads_anything_from_another_host(users, client_as):
    for role, name in [("anonymous", "web:home"), ("federation_admin", "web:console")]:
        page = client_as(role).get(reverse(name)).content.decode()
        external = re.findall(r'(?:src|href)="(https?:)?//', page)
        assert external == [], f"{name} loads from another host"
        for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', page):
            assert finders.find(asset), f"{asset} is not installed"


def test_htmx_comes_from_the_django_htmx_package():
    assert finders.find("django_htmx/htmx-2.min.js")
    assert "django_htmx" in settings.INSTALLED_APPS
