"""What every page's shell needs: the top bar and the console's sidebar for this user, as
the apps registered them in ``web.home``."""

from laurel.web import home


def shell(request) -> dict:
    user = getattr(request, "user", None)
    access = user.access if user is not None and user.is_authenticated else None
    return {
        "top_bar": home.top_bar(request, access),
        "console_navigation": home.console_navigation(request, access),
    }
