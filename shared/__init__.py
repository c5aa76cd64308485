"""Shared building blocks used by the Ironclad Todo handlers."""
