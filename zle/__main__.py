"""``python -m zle``: the same as the ``zle`` command."""

from zle.main import cli

cli(prog_name="zle")
