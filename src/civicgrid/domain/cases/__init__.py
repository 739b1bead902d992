"""Cases: the seven-stage workflow, its event log, deadlines and outcomes."""
