from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come through a web request.

    Axes refuses authenticate() calls without a request; those only come from code (the test
    client's login(), the shell, management commands), never from a visitor, so they are let
    through to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
