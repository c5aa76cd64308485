"""Tags on tasks: their wire models (`schemas`) and queries (`service`)."""
