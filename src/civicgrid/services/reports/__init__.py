"""Report use cases: templates, submissions, aggregation, missing reports, urgent reports."""
