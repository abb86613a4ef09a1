"""The error every service raises when a rule of the domain refuses a change. Its message is
written for the user and shown as it is."""


class DomainError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
