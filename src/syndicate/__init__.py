"""syndicate: ingest agency wire copy, translate it, deliver it to partners."""

__version__ = "0.1.0"
