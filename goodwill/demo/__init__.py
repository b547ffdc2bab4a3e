"""The demo business, Harris Hall B&B: its data (``data``) and its loader (``loader``)."""
