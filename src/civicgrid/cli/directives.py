"""civicgrid directives: 指令直达 from the command line, as a named user (`--as`).

Each command mirrors an endpoint of /api/v1/directives; `tick` and `verify-log` run
as the local operator.
"""

from __future__ import annotations

import typer

from civicgrid.cli import directive_answers, directive_issuing, directive_upkeep, directive_views

app = typer.Typer(
    help="Directives (指令直达): issue, sign, report back, roll up.", no_args_is_help=True
)

# In the order `--help` lists them.
app.command("preview")(directive_issuing.preview)
app.command("issue")(directive_issuing.issue)
app.command("list")(directive_views.list_)
app.command("show")(directive_views.show)
app.command("rollup")(directive_views.rollup)
app.command("receipts")(directive_views.receipts)
app.command("sign")(directive_answers.sign)
app.command("progress")(directive_answers.progress)
app.command("feedback")(directive_answers.feedback)
app.command("rework")(directive_answers.rework)
app.command("revise")(directive_issuing.revise)
app.command("revoke")(directive_issuing.revoke)
app.command("versions")(directive_views.versions)
app.command("tick")(directive_upkeep.tick)
app.command("verify-log")(directive_upkeep.verify_log)
app.command("tag")(directive_issuing.tag)
