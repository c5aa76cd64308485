"""Endpoint groups: each module declares its operations and exposes a Lambda handler."""
