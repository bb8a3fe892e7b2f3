"""The grid worker's day: patrols and the field log, household visits, handover slips to other
lines, the weekly analysis meeting, assessment and the two-way reviews (双向点评).

It sits above feedback (a finding can become a case) and below home."""
