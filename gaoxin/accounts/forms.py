from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is not right. After 5 failed tries the account is "
            "locked for 15 minutes."
        ),
        "inactive": _("This account has been switched off. Ask your administrator."),
    }
