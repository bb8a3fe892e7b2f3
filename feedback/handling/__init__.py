"""Case handling: transitions, visibility, the staff inbox and its actions, case e-mail,
permissions, the worker's jobs."""
