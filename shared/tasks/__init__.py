"""Tasks: their wire models (`schemas`), business rules (`service`, reminders included),
how they repeat (`recurrence`) and the dashboard's counts (`stats`)."""
