"""Roles per kommune (core/access.py): who may do what, and the Norwegian refusal a core write gives."""

from __future__ import annotations

import pytest

from core import access
from core.access import LOCAL_USER, Action, Principal, Role
from core.i18n import in_maalform

ALVER, STAVANGER = "4631", "1103"
READER = Principal.of("r@alver.no", "Rita Leser", {ALVER: [Role.READER]})
PLANNER = Principal.of("p@alver.no", "Per Planlegger", {ALVER: [Role.PLANNER]})
STEWARD = Principal.of("d@alver.no", "Dina Data", {ALVER: ["dataforvalter"]})
ADMIN = Principal.of("a@kommune.no", "Ada Admin", {}, admin=True)
NOBODY = Principal.of("x@annen.no", "Ola Utenfor")


def test_the_local_user_may_do_everything_everywhere():
    for action in Action:
        for knr in (ALVER, STAVANGER, "0301"):
            assert access.allowed(LOCAL_USER, action, knr), action
            access.require(LOCAL_USER, action, knr)


def test_a_reader_may_write_nothing_and_gets_a_norwegian_refusal():
    assert READER.roles_in(ALVER) == {Role.READER}
    assert not any(access.allowed(READER, a, ALVER) for a in Action)
    with pytest.raises(access.AccessDenied) as err:
        access.require(READER, Action.SCENARIO_SAVE, ALVER)
    assert str(err.value).startswith("Du har lesetilgang til Alver og kan ikke lagre scenarioer.")
    assert "planlegger" in str(err.value)
    assert (err.value.action, err.value.kommunenummer) == (Action.SCENARIO_SAVE, ALVER)
    with in_maalform("nn"), pytest.raises(access.AccessDenied) as err_nn:
        access.require(READER, Action.SCENARIO_DELETE, ALVER)
    assert str(err_nn.value).startswith("Du har lesetilgang til Alver og kan ikkje slette scenario.")
    assert "planleggar" in str(err_nn.value)


def test_a_planner_plans_in_their_own_kommune_only():
    planner_actions = {a for a, r in access.NEEDS.items() if r is Role.PLANNER}
    assert {a for a in Action if access.allowed(PLANNER, a, ALVER)} == planner_actions
    assert not any(access.allowed(PLANNER, a, STAVANGER) for a in Action)
    with pytest.raises(access.AccessDenied, match="^Du har ingen tilgang til Stavanger og kan ikke slette "
                                                  "scenarioer"):
        access.require(PLANNER, Action.SCENARIO_DELETE, STAVANGER)
    with pytest.raises(access.AccessDenied, match="^Du er planlegger for Alver og kan ikke laste inn kommunens "
                                                  "egne tall. Det krever rollen dataforvalter"):
        access.require(PLANNER, Action.OWN_IMPORT, ALVER)


def test_a_data_steward_imports_own_figures_but_not_national_statistics():
    assert access.allowed(STEWARD, Action.OWN_IMPORT, ALVER) and access.allowed(STEWARD, Action.OWN_RESTORE, ALVER)
    assert not access.allowed(STEWARD, Action.OWN_IMPORT, STAVANGER)
    assert not access.allowed(STEWARD, Action.SCENARIO_SAVE, ALVER)
    with pytest.raises(access.AccessDenied, match="^Bare en administrator kan laste inn nasjonal statistikk."):
        access.require(STEWARD, Action.NATIONAL_IMPORT, ALVER)
    with pytest.raises(access.AccessDenied):
        access.require_all(STEWARD, Action.OWN_IMPORT, [ALVER, STAVANGER])
    access.require_all(STEWARD, Action.OWN_IMPORT, [ALVER, ALVER])


def test_an_administrator_imports_national_statistics_and_changes_roles_but_does_not_plan():
    assert access.allowed(ADMIN, Action.NATIONAL_IMPORT) and access.allowed(ADMIN, Action.ROLE_CHANGE)
    assert ADMIN.roles_in(ALVER) == {Role.READER}  # reads every kommune
    assert not access.allowed(ADMIN, Action.SCENARIO_SAVE, ALVER)
    with in_maalform("nn"), pytest.raises(access.AccessDenied, match="^Berre ein administrator kan endre roller."):
        access.require(PLANNER, Action.ROLE_CHANGE, None)


def test_a_role_in_every_kommune_and_the_administrator_role_in_a_mapping():
    everywhere = Principal.of("alle", "Alle", {access.ALL: ["planlegger"], ALVER: ["administrator"]})
    assert everywhere.admin and access.allowed(everywhere, Action.SCENARIO_SAVE, "0301")
    assert everywhere.kommuner == {access.ALL}
    assert hash(everywhere) == hash(Principal.of("alle", "Alle", {access.ALL: ["planlegger"]}, admin=True))
    with pytest.raises(ValueError):
        Principal.of("x", "X", {ALVER: ["sjef"]})


def test_every_action_has_a_role_a_text_and_a_label():
    assert set(access.NEEDS) == set(access.ACTION_TEXT) == set(access.ACTION_LABEL) == set(Action)
    assert access.kommune_name("9999") == "9999" and access.kommune_name(STAVANGER) == "Stavanger"


def test_only_the_system_itself_seeds_and_a_lookalike_may_do_nothing():
    lookalike = Principal(access.SYSTEM.user_id, access.SYSTEM.display_name)
    assert lookalike == access.SYSTEM and lookalike is not access.SYSTEM
    assert access.allowed(access.SYSTEM, Action.REGISTER_EDIT, ALVER)
    assert not access.allowed(access.SYSTEM, Action.NATIONAL_IMPORT)
    assert not any(access.allowed(lookalike, a, ALVER) for a in Action)
