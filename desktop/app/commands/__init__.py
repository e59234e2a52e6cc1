"""The ``cchc`` commands, one module per group, each command's parser beside its handler; the
dispatcher (``desktop.app.cli``) only gathers them. ``GROUPS`` is the order ``cchc --help``
lists them in."""

from desktop.app.commands import exchange, forms, par, register, reports, submission, units

GROUPS = (reports, units, exchange, forms, submission, register, par)

__all__ = ["GROUPS"]
