"""The record (记录): the append-only event log of every case, and how the timeline reads it."""
