"""Import and export: contacts in from any phone or spreadsheet, everything out again; backups."""
