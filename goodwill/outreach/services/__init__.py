"""Every write of outreach."""
