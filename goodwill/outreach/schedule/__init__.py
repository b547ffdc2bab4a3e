"""The schedule: periodic jobs (registry) and the runner that runs the due ones."""
