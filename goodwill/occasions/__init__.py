"""Birthdays, anniversaries and custom dates; the daily agenda; the calendar feed."""
