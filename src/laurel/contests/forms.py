"""Forms for contests: the organiser's set-up, and entries as members and unit admins
submit them. Forms only clean input; services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

# --- contest set-up (organisers) -----------------------------------------------------------

# --- entries (members and unit admins) ----------------------------------------------------
