"""Errors a user can act on, and the exit codes that tell CI whose move it is.

Every problem Almanac reports to a person goes through :class:`AlmanacError`: one line that says
what went wrong and where (file, line or ref), so that a CI log shows the cause without a traceback.
Both print through :func:`~generator.text.clean.log_safe`: they often quote a file name, a name or a tag,
and none of those may drive the terminal or the CI runner that shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.text.clean import log_safe

#: The user must fix something (bad input, bad config, not a repository).
EXIT_USER_ERROR = 2
#: Almanac or its environment failed (git missing, disk full); retrying or reporting a bug may help.
EXIT_INTERNAL_ERROR = 3


class AlmanacError(Exception):
    """A failure explained in one line; the CLI prints it and exits with ``exit_code``."""

    def __init__(self, message: str, *, exit_code: int = EXIT_USER_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def __str__(self) -> str:
        return log_safe(super().__str__())


@dataclass(frozen=True, slots=True)
class Finding:
    """Something worth telling the user that did not stop the build (a degraded input, a skipped file).

    ``where`` names the place (a path, ``path:line``, or a ref) so that the message can be acted on.
    """

    message: str
    where: str = ""
    level: str = "warning"
    #: The level ``almanac check`` gives it when that differs: a contradiction in what the repository
    #: publishes is only "info" to a site build, which must not fail on it, but an error to the gate.
    gate: str = ""

    def __str__(self) -> str:
        return log_safe(f"{self.where}: {self.message}" if self.where else self.message, one_line=True)


def yaml_error_place(error: Exception, path: str, first_line: int = 1) -> str:
    """``path:line`` of a YAML parse error, or just ``path`` when the parser gave no position.

    ``first_line`` is the file line where the parsed text starts (front matter starts below its ``---``).
    """
    mark = getattr(error, "problem_mark", None)
    return f"{path}:{mark.line + first_line}" if mark is not None else path
