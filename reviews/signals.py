"""Hooks for apps above reviews (cohorts) on a change of a call's rubric.

Both are sent by reviews.services.rubric.change_weights inside its transaction, with
``call`` (locked) and ``by``:

- ``rubric_changing`` before anything is written; a receiver refuses the change by raising
  ``RubricFrozen`` with the organiser's message (cohorts: the shortlist is locked).
- ``rubric_changed`` once every weighted score is recomputed, with ``change`` (the RubricChange);
  receivers update what was derived from the old scores (cohorts: shortlist runs become stale).
"""

from django.dispatch import Signal

rubric_changing = Signal()
rubric_changed = Signal()
