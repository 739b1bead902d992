"""The alert rules as administrators edit them: the whole rule set, checked, versioned.

The text is the rules file's YAML; each save is kept, the latest replaces the file's
rules. Parsing (YAML) is an adapter's: the caller passes it in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from civicgrid.domain.access import Principal
from civicgrid.domain.alerts import RuleSet
from civicgrid.domain.errors import InvalidInput
from civicgrid.services.admin_ports import AdminUnitOfWork, SavedRules
from civicgrid.services.admin_users import check_administrator

MAX_RULES_TEXT = 200_000


def get_alert_rules(uow: AdminUnitOfWork, principal: Principal) -> SavedRules | None:
    """The latest saved rules; None while the file's are in force."""
    check_administrator(principal)
    with uow:
        return uow.admin.alert_rules()


def save_alert_rules(
    uow: AdminUnitOfWork,
    principal: Principal,
    text: str,
    *,
    parse: Callable[[str], RuleSet],
    is_category: Callable[[str], bool],
    now: datetime,
) -> RuleSet:
    """Checks the whole set (every rule's case category must exist), then stores it."""
    check_administrator(principal)
    if len(text) > MAX_RULES_TEXT:
        raise InvalidInput(f"the rules have at most {MAX_RULES_TEXT} characters", field="text")
    rules = parse(text)
    if not rules.rules:
        raise InvalidInput("the rules list no rule", field="text")
    for rule in rules.rules:
        if rule.category and not is_category(rule.category):
            raise InvalidInput(f"rule {rule.id}: no case category {rule.category!r}", field="text")
    with uow:
        uow.admin.save_alert_rules(text, now, principal.username)
        uow.commit()
    return rules
