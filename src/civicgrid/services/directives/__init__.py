"""Directive use cases: issue, respond, revise, revoke, roll up, and the scheduler tick."""
