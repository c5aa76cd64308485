"""Users as Better Auth keeps them: their wire models (`schemas`) and the rules for
creating users and sessions as Better Auth would (`service`, used by the CLI)."""
