"""Export people to CSV (Google-compatible, formula-safe), vCard 4.0 and JSON, in chunks."""
