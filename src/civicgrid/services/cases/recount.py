"""Repair: the per-subtree case counters rebuilt from the cases themselves."""

from __future__ import annotations

from civicgrid.services.ports import UnitOfWork


def recount_cases(uow: UnitOfWork) -> int:
    """Rebuild the counters behind listing counts; how many counter rows were wrong.

    Every case write keeps them exact, so this finds nothing unless cases were written
    around the application (a bulk load, a hand edit); it is safe while others write.
    """
    with uow:
        wrong = uow.cases.recount()
        uow.commit()
    return wrong
