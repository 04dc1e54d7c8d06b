"""The console's front page for staff: the staff panels of the home pages (work waiting,
activities under way, their units, recent changes), as the apps registered them."""

from django.shortcuts import render

from laurel.web import home
from laurel.web.access import allowed_if


@allowed_if(home.console_rule)
def console(request):
    return render(request, "web/console.html", {"panels": home.panels_for(request, console=True)})
