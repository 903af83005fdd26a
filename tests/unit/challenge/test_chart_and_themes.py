from datetime import date

from seslip.challenge.chart import completion_series, line_chart, thin
from seslip.challenge.themes import NO_THEME, PointItem, count_themes, group_points

D = date(2026, 10, 1)


def test_completion_counts_by_the_end_of_each_day() -> None:
    done = [date(2026, 9, 20), date(2026, 10, 2), date(2026, 10, 2), None, date(2026, 10, 9)]
    series = completion_series(done, D, date(2026, 10, 4))
    assert series == [(date(2026, 10, 1), 1), (date(2026, 10, 2), 3),
                      (date(2026, 10, 3), 3), (date(2026, 10, 4), 3)]
    assert completion_series(done, D, date(2026, 9, 1)) == []


def test_thin_keeps_first_last_and_changes() -> None:
    series = completion_series([date(2026, 10, 5), date(2026, 10, 20)], D, date(2026, 10, 31))
    rows = thin(series)
    assert rows[0] == (D, 0) and rows[-1] == (date(2026, 10, 31), 2)
    assert (date(2026, 10, 5), 1) in rows and (date(2026, 10, 20), 2) in rows
    assert len(thin(series, most=4)) == 4


def test_line_chart_lays_points_inside_the_plot() -> None:
    series = completion_series([date(2026, 10, 2)] * 19, D, date(2026, 10, 10))
    chart = line_chart("Finalised self-assessments", series, 19)
    assert chart.maximum == 19
    assert chart.points[0].x == chart.left and chart.points[-1].x == chart.right_x
    assert chart.points[0].y == chart.bottom_y  # 0 sits on the axis
    assert min(p.y for p in chart.points) == 16  # 19 of 19 at the top
    assert [t.label for t in chart.y_ticks] == ["0", "5", "10", "15"]
    assert chart.x_ticks[0].label == "1 Oct" and chart.x_ticks[-1].label == "10 Oct"
    assert "19 of 19 on 10 October 2026" in chart.summary
    assert line_chart("Empty", [], 19).summary == "Empty: nothing to show yet."


def test_themes_count_each_authority_once_and_show_unused_themes() -> None:
    rows = count_themes([("Kent", ["Scrutiny", "Scrutiny", "Voice of the child"]),
                         ("Medway", ["Voice of the child"])],
                        known=["Corporate parenting", "Scrutiny", "Voice of the child"])
    assert rows == [("Voice of the child", 2, ["Kent", "Medway"]),
                    ("Scrutiny", 1, ["Kent"]), ("Corporate parenting", 0, [])]


def test_points_group_by_theme_in_the_managers_order() -> None:
    points = [PointItem("Kent", "strength", "Clear vision", "Scrutiny", "Responsibility 1"),
              PointItem("Medway", "area", "Hear children", "Voice of the child", None),
              PointItem("Slough", "area", "Budget", None, "Responsibility 2")]
    by_theme = group_points(points, "theme", order=["Voice of the child", "Scrutiny"])
    assert [g for g, _, _ in by_theme] == ["Voice of the child", "Scrutiny", NO_THEME]
    assert [p.text for p in by_theme[0][2]] == ["Hear children"]
    by_section = group_points(points, "section")
    assert [g for g, _, _ in by_section][-1] == "Not tied to one responsibility"
