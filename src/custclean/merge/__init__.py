"""Merging duplicates into golden records with lineage; multi-list merge; suppression for mailings."""
