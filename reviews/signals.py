"""Hooks for apps above reviews (cohorts) on a change of a call's rubric.

``rubric_changed`` is sent by reviews.services.rubric.change_weights inside its transaction, with
``call`` (locked), ``by`` and ``change`` (the RubricChange), once every weighted score is
recomputed; receivers update what was derived from the old scores (cohorts: shortlist runs become
stale).
"""

from django.dispatch import Signal

rubric_changed = Signal()
