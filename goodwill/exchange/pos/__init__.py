"""The point-of-sale import: a till's or booking system's CSV export becomes purchases, stays,
refunds and inquiries of known people (found by email, phone, loyalty number or unique name).

It reuses the contacts import's file checks (encoding, delimiter), batch, queue and worker,
progress page and report: ``columns`` maps headers, ``reader`` reads rows, ``rows`` checks one,
``match`` finds people, ``write`` writes a chunk, ``run`` drives it all.
"""

from goodwill.exchange.pos.run import pos_import_run, pos_report, pos_report_text

__all__ = ["pos_import_run", "pos_report", "pos_report_text"]
