"""Case use cases: intake, workflow actions, queries, the scheduler tick."""
