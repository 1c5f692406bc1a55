"""Why a write on an application was refused; each carries what the founder needs to be told."""


class ApplicationError(Exception):
    """Base class: the request is refused and nothing was written."""


class NotEditable(ApplicationError):
    """The call is closed (or the application's status no longer allows changes)."""


class StaleVersion(ApplicationError):
    def __init__(self, current):
        super().__init__("stale version")
        self.current = current  # the application as saved now


class Incomplete(ApplicationError):
    def __init__(self, missing: dict[str, list[str]]):
        super().__init__("incomplete")
        self.missing = missing


class NotAllowed(ApplicationError):
    """Only the owner may do this."""


class DeadlinePassed(ApplicationError):
    pass


class CallStillOpen(ApplicationError):
    """A selection status (shortlisted, waitlisted, not selected) while founders can still apply."""


class InvitationError(ApplicationError):
    """An invitation that cannot be used; `code` says why (expired, used, revoked, wrong_account, ...)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
