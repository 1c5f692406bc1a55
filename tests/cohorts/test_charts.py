"""Chart geometry: histogram bins inside the scale, the deadline's label inside the chart."""

import datetime as dt

from django.utils import translation

from cohorts import charts


def test_bins_cover_the_scale_and_the_last_one_is_closed_on_its_maximum():
    # floor(2 x score): 1.0 -> 2, 4.7 -> 9, 5.0 -> 10 (a perfect score).
    bins = charts.score_bins([(2, 1), (9, 2), (10, 3)], low=1, high=5)
    labels = [label for label, _n in bins]
    assert labels[0] == "1.0–1.5" and labels[-1] == "4.5–5.0"
    assert len(bins) == 8 and "5.0–5.5" not in labels
    assert dict(bins)["4.5–5.0"] == 5 and dict(bins)["1.0–1.5"] == 1
    assert sum(n for _label, n in bins) == 6


def test_bins_follow_a_larger_scale_and_keep_empty_bins():
    bins = charts.score_bins([(19, 1), (20, 1)], low=1, high=10)
    assert len(bins) == 18 and bins[-1] == ("9.5–10.0", 2)
    assert all(n == 0 for _label, n in bins[:-1])


def test_bin_labels_use_the_languages_decimal_mark():
    with translation.override("fr"):
        assert charts.score_bins([], low=1, high=5)[-1][0] == "4,5–5,0"


def day_chart(deadline_offset: int, days: int = 30):
    first = dt.date(2026, 1, 1)
    last = first + dt.timedelta(days=days - 1)
    return charts.day_columns({}, first, last, first + dt.timedelta(days=deadline_offset))


def test_the_deadline_label_stays_inside_the_chart_at_either_edge():
    last = day_chart(29)
    assert last["marker_anchor"] == "end" and last["marker_label_x"] < last["marker_x"] <= last["width"]
    first = day_chart(0)
    assert first["marker_anchor"] == "start" and first["marker_label_x"] > first["marker_x"]
    middle = day_chart(15)
    assert middle["marker_anchor"] == "middle" and middle["marker_label_x"] == middle["marker_x"]
