"""Chat: managing tasks in plain English, with the built-in interpreter or an LLM."""
