"""Everything the business sends: the outbox, its worker and schedule, delivery channels."""
