"""The annotator's assistant (issue #11): proposes source headers and draft facts for review.

Nothing here writes into the package: proposals go to `data/review/`, drafts to `data/drafts/`,
and only `etl accept` moves a reviewed record into `data/sources/`. The parsing rules that are
lookups (magnitude words, currencies, units, month names, hedges) live in `lexicon.yml`.
"""
