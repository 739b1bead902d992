"""Two revisions of one report template at once: the second is checked against the first
as committed, so it cannot silently drop the field the first added."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from civicgrid.bootstrap import Container
from civicgrid.domain.forms import parse_form
from civicgrid.domain.reports.revision import RevisionRefused, TemplateRevision
from civicgrid.services.reports.templates import get_template, revise_template
from tests.integration.citizen_world import MONDAY_9AM, build_world
from tests.web.directive_world import add_daily_template

HELPERS = {"key": "helpers", "type": "number", "label_zh": "协助人数", "required": False}


def test_a_revision_waits_for_the_one_holding_the_template_and_sees_its_new_field(
    container: Container,
) -> None:
    world = build_world(container)
    officer = world.staff["officer"]
    template_id = add_daily_template(world)
    before = get_template(container.uow(), officer, template_id).draft
    # The second editor's form was read before the first added `helpers`: it lacks it.
    stale = TemplateRevision(name_zh="改名", fields=before.fields)
    outcome: list[BaseException | None] = []

    def second_editor() -> None:
        try:
            revise_template(container.uow(), officer, template_id, stale, now=MONDAY_9AM)
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    with container.uow() as first:
        held = first.reports.lock_template(template_id)
        assert held is not None
        added = before.fields + parse_form([HELPERS])
        first.reports.update_template(template_id, replace(held.draft, fields=added))
        editor = threading.Thread(target=second_editor)
        editor.start()
        time.sleep(0.5)  # the second editor is now waiting for the lock
        assert outcome == []
        first.commit()
    editor.join(timeout=30)
    assert len(outcome) == 1
    refused = outcome[0]
    assert isinstance(refused, RevisionRefused), refused
    assert refused.field == "fields.helpers"
    stored = get_template(container.uow(), officer, template_id).draft
    assert (stored.name_zh, stored.fields[-1].key) == ("巡查日报", "helpers")
