"""The fieldwork app's models (none yet; each part of the grid worker's day adds its own)."""
