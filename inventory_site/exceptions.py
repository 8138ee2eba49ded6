"""Domain errors shared by the apps."""


class HasHistoryError(Exception):
    """Deleting would erase history or orphan dependants; the message says what to do instead."""

    def __init__(self, obj, message: str):
        super().__init__(message)
        self.obj = obj
        self.message = message
