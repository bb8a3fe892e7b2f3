"""The public side: case tracking, ratings, the grid survey and statistics."""
