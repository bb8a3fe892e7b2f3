"""Case handling: transitions, visibility, case e-mail, permissions, the worker's jobs."""
