"""What customers tell us: "did you ask them?" follow-ups, surveys, frontline notes, the inbox."""
