"""motesplats: an event and meeting-planning toolkit — feeds, programmes and badges from plain files."""

__version__ = "0.1.0"
