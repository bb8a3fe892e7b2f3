"""Search that understands Chinese: a Whoosh + jieba backend for Wagtail's search layer.

- `backend`: the modelsearch backend (`WAGTAILSEARCH_BACKENDS`), its index store and queries;
  its docstring lists what it supports and the hooks page models may define.
- `postgres`: the same analysis on PostgreSQL's full-text search, for several app servers
  (`PORTAL_SEARCH_BACKEND=postgres`).
- `analysis`: word segmentation (rjieba), pinyin, and the word sources for place names.
- `highlight`: marked snippets for results, with any backend.
- `visibility`: what the public site search may show (`search_visible` hook).
- `config`: which backend the environment selects (`PORTAL_SEARCH_BACKEND`, `SEARCH_URL`); see
  docs/scaling.md.
"""
