"""Views for staff setting up networks and posts. Routes hang on the networks blueprint `bp`."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from seslip.accounts.models import OrgRole
from seslip.errors import ServiceError
from seslip.networks import loaders, structure
from seslip.networks import queries as q
from seslip.networks.forms import NetworkForm, PositionForm
from seslip.networks.loaders import STAFF
from seslip.networks.models import Network, NetworkKind, Position
from seslip.networks.rules import Eligibility, JoinRule
from seslip.networks.views import bp
from seslip.organisations.models import OrganisationKind
from seslip.web import attempt, form_status

NONE = SelectChoice(0, "None")


def _network_form(network: Network | None) -> NetworkForm:
    form = NetworkForm()
    form.kind.choices = [SelectChoice(k.value, k.label) for k in NetworkKind]
    form.join_rule.choices = [SelectChoice(r.value, r.label) for r in JoinRule]
    form.join_roles.choices = [SelectChoice(r.value, r.label) for r in OrgRole]
    # A network cannot sit under itself; archived networks are offered only if already chosen.
    form.parent.choices = [NONE] + [
        SelectChoice(n.id, n.name) for n in q.all_networks()
        if (network is None or n.id != network.id)
        and (not n.is_archived or (network is not None and n.id == network.parent_id))
    ]
    if network is not None and not form.is_submitted():
        form.name.data, form.kind.data = network.name, network.kind.value
        form.purpose.data, form.meeting_pattern.data = network.purpose, network.meeting_pattern
        form.join_rule.data, form.join_roles.data = network.join_rule.value, network.role_list
        form.parent.data = network.parent_id or 0
        form.established_on.data, form.ends_on.data = network.established_on, network.ends_on
    return form


def _network_values(form: NetworkForm) -> structure.NetworkValues:
    return structure.NetworkValues(
        name=form.name.data or "", kind=NetworkKind(form.kind.data),
        purpose=form.purpose.data or "", join_rule=JoinRule(form.join_rule.data),
        join_roles=tuple(form.join_roles.data or ()),
        meeting_pattern=form.meeting_pattern.data or "", parent_id=form.parent.data or None,
        established_on=form.established_on.data, ends_on=form.ends_on.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@loaders.staff_only
def new_network() -> Any:
    form = _network_form(None)
    if form.validate_on_submit():
        made = attempt(form, lambda: structure.create_network(current_user, _network_values(form)))
        if made:
            flash(f"{made.name} has been created. Add its posts next.", "success")
            return redirect(url_for("networks.show", slug=made.slug))
    return render_template("networks/network_form.html", network=None, form=form), form_status(form)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@loaders.network(STAFF)
def edit_network(network: Network) -> Any:
    form = _network_form(network)
    if form.validate_on_submit() and attempt(
        form, lambda: structure.update_network(current_user, network, _network_values(form))
    ):
        flash(f"{network.name} has been saved.", "success")
        return redirect(url_for("networks.show", slug=network.slug))
    return render_template("networks/network_form.html", network=network, form=form,
                           archive_form=FlaskForm()), form_status(form)


@bp.post("/<slug>/archive")
@loaders.network(STAFF)
def archive_network(network: Network) -> Response:
    if FlaskForm().validate_on_submit():
        archived = not network.is_archived
        try:
            structure.set_archived(current_user, network, archived)
            flash(f"{network.name} has been archived: it no longer appears in the list of "
                  "networks, and its page and history are kept." if archived
                  else f"{network.name} is back in the list of networks.", "success")
        except ServiceError as error:
            flash(error.message, "error")
    return redirect(url_for("networks.show", slug=network.slug))


# Posts ---------------------------------------------------------------------------------------


def _post_form(network: Network, position: Position | None) -> PositionForm:
    form = PositionForm(obj=position)
    form.eligibility.choices = [SelectChoice(e.value, e.label) for e in Eligibility]
    form.eligibility_value.choices = [SelectChoice("", "Choose a kind")] + [
        SelectChoice(k.value, k.label) for k in OrganisationKind]
    form.approval_network.choices = [SelectChoice(0, "No approval needed")] + [
        SelectChoice(n.id, n.name) for n in q.approving_networks(network)]
    form.deputises_for.choices = [NONE] + [
        SelectChoice(p.id, p.title) for p in network.current_positions if p is not position]
    if position is not None and not form.is_submitted():
        form.eligibility.data = position.eligibility.value
        form.approval_network.data = position.approval_network_id or 0
        form.deputises_for.data = position.deputises_for_id or 0
    return form


def _post_values(form: PositionForm) -> structure.PositionValues:
    return structure.PositionValues(
        title=form.title.data or "", description=form.description.data or "",
        is_chair=bool(form.is_chair.data), min_holders=form.min_holders.data or 0,
        max_holders=form.max_holders.data or 0, term_years=form.term_years.data,
        max_consecutive_terms=form.max_consecutive_terms.data,
        eligibility=Eligibility(form.eligibility.data),
        eligibility_value=form.eligibility_value.data or "",
        members_only=bool(form.members_only.data),
        approval_network_id=form.approval_network.data or None,
        deputises_for_id=form.deputises_for.data or None,
    )


def _render_post_form(network: Network, position: Position | None, form: PositionForm) -> Any:
    return render_template("networks/post_form.html", network=network, position=position,
                           form=form), form_status(form)


@bp.route("/<slug>/posts/new", methods=["GET", "POST"])
@loaders.network(STAFF)
def new_post(network: Network) -> Any:
    form = _post_form(network, None)
    if form.validate_on_submit():
        made = attempt(form, lambda: structure.create_position(current_user, network,
                                                          _post_values(form)))
        if made:
            flash(f"The post {made.title} has been added to {network.name}.", "success")
            return redirect(url_for("networks.show", slug=network.slug,
                                    _anchor=f"post-{made.id}"))
    return _render_post_form(network, None, form)


@bp.route("/<slug>/posts/<int:position_id>/edit", methods=["GET", "POST"])
@loaders.post(STAFF)
def edit_post(network: Network, position: Position) -> Any:
    form = _post_form(network, position)
    if form.validate_on_submit() and attempt(
        form, lambda: structure.update_position(current_user, position, _post_values(form))
    ):
        flash(f"The post {position.title} has been saved.", "success")
        return redirect(url_for("networks.show", slug=network.slug,
                                _anchor=f"post-{position.id}"))
    return _render_post_form(network, position, form)


@bp.post("/<slug>/posts/<int:position_id>/retire")
@loaders.post(STAFF)
def retire_post(network: Network, position: Position) -> Response:
    if FlaskForm().validate_on_submit():
        try:
            structure.retire_position(current_user, position)
            flash(f"The post {position.title} has been retired. Its history is kept.",
                  "success")
        except ServiceError as error:
            flash(error.message, "error")
    return redirect(url_for("networks.show", slug=network.slug))
