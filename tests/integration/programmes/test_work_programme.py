"""The annual work programme: items, a task-and-finish group set up from one, reports
published as key documents, and what the network page's section shows."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from seslip.errors import PermissionDenied, ServiceError
from seslip.networks.models import NetworkKind
from seslip.networks.queries import current_members
from seslip.programmes import work
from seslip.programmes.models import Audience, ItemStatus
from seslip.programmes.panels import network_panel
from tests.integration.meetings.support import PDF, build_meeting_world

TODAY = date(2026, 5, 1)


def test_programme_year_runs_april_to_march() -> None:
    assert work.programme_year(date(2026, 3, 31)) == 2025
    assert work.programme_year(date(2026, 4, 1)) == 2026
    assert work.year_label(2026) == "2026-27"


def test_items_groups_and_reports(app: Flask) -> None:
    mw = build_meeting_world()
    item = work.add_item(mw.chair, mw.network, work.ItemValues(
        "Kinship data analysis", 2026, "What the data says.", mw.owner,
        target_on=date(2026, 10, 31)))
    with pytest.raises(PermissionDenied):
        work.add_item(mw.member, mw.network, work.ItemValues("Nope", 2026))
    with pytest.raises(ServiceError) as refused:
        work.add_item(mw.chair, mw.network, work.ItemValues(" ", 2026))
    assert refused.value.field == "title"

    with pytest.raises(ServiceError) as outsider:
        work.create_group(mw.chair, item, work.GroupValues(
            "Data Group", "Analyse", date(2026, 11, 30), [mw.w.outsider]), today=TODAY)
    assert outsider.value.field == "members"
    group = work.create_group(mw.chair, item, work.GroupValues(
        "Data Group", "Analyse the data", date(2026, 11, 30), [mw.owner, mw.member]),
        today=TODAY)
    assert (group.kind, group.parent_id, group.ends_on) == (
        NetworkKind.TASK_AND_FINISH, mw.network.id, date(2026, 11, 30))
    assert {m.user_id for m in current_members(group, TODAY)} == {mw.owner.id, mw.member.id}
    assert item.group_id == group.id and item.status == ItemStatus.IN_PROGRESS
    with pytest.raises(ServiceError, match="already has"):
        work.create_group(mw.chair, item, work.GroupValues(
            "Another", "x", date(2026, 11, 30), [mw.owner]), today=TODAY)

    back = work.publish_report(mw.w.pm, mw.network, "Data group findings", Audience.NETWORK,
                               PDF, group=group, item=item)
    to_dcs = work.publish_report(mw.chair, mw.network, "Report to the DCS Group",
                                 Audience.DCS_GROUP, PDF)
    with pytest.raises(PermissionDenied):
        work.publish_report(mw.member, mw.network, "Mine", Audience.DCS_GROUP, PDF)
    assert back.document.latest is not None and back.document.latest.extension == "pdf"
    assert [r.id for r in work.reports_of(mw.network)] == [to_dcs.id, back.id]

    panel = network_panel(mw.member, mw.network, TODAY)
    assert panel.can_see and not panel.can_run
    assert [i.title for i in panel.items] == ["Kinship data analysis"]
    assert panel.groups == [group] and len(panel.reports) == 2
    assert not network_panel(mw.w.outsider, mw.network, TODAY).can_see

    work.set_status(mw.chair, item, ItemStatus.DONE)
    assert item.status == ItemStatus.DONE


def test_a_group_reports_back_to_its_network_from_its_own_page(app: Flask) -> None:
    import io

    from tests.support.factories import csrf_token, login

    mw = build_meeting_world()
    item = work.add_item(mw.chair, mw.network, work.ItemValues("Data", 2026))
    group = work.create_group(mw.chair, item, work.GroupValues(
        "Data Group", "Analyse", date(2099, 1, 1), [mw.owner]), today=TODAY)
    client = app.test_client()
    login(client, mw.w.pm)
    path = f"/networks/{group.slug}/reports/new"
    page = client.get(path).get_data(as_text=True)
    assert "Publish the report of Data Group to Kinship Network" in page
    response = client.post(path, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, path), "title": "Findings",
        "file": (io.BytesIO(PDF), "f.pdf")})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/networks/{mw.network.slug}/work-programme"
    [report] = work.reports_of(mw.network)
    assert (report.group_id, report.audience) == (group.id, Audience.NETWORK)
    assert work.reports_of(group) == [report]  # on the group's page too
