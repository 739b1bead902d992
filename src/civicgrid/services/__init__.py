"""Use cases: one verb-named function per action, reaching storage through ports."""
