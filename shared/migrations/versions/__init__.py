"""Alembic revisions, oldest first: `vNNNN_<what changed>.py`, revision id `NNNN`."""
