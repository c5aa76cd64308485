"""Categories: their wire models (`schemas`) and business rules (`service`)."""
