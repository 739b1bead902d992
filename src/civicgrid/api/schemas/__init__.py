"""API schemas, kept apart from tables: XPublic for output, XUpdate for PATCH."""
