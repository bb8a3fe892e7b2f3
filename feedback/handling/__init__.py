"""Case handling: the staff inbox and the actions staff take on a case."""
