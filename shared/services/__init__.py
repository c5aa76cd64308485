"""Business rules, one module per domain; every entry point (REST, chat) calls these."""
