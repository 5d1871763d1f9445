"""Who may do what: roles per kommune, the person acting (a Principal), and the one check every write
in core makes first (`require`).

Roles (issue 23), per kommune:
- leser (reader): pages, slides, exports, opening shared links — nothing is written;
- planlegger (planner): save, update, rename, delete and restore the kommune's scenarios, edit its
  tiltak and prosjekt registers, save and delete its office plans;
- dataforvalter (data steward): import and restore the kommune's own figures;
- administrator: national statistics imports (SSB tables that change what every kommune sees) and
  role changes. Administrator is not a role in one kommune but the Principal's `admin` flag.

A role in the kommune «*» holds in every kommune. LOCAL_USER is the embedded default (`make run`, no
login): one local user who may do everything, so every existing caller of core keeps working.

`require(principal, action, kommunenummer)` raises AccessDenied with a Norwegian message saying what
was refused, the role it takes, and where to get it; `allowed` answers the same without raising (the
pages use it to hide what a role may not do; core refuses anyway).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from core.i18n import N_, t

ALL = "*"  # a role in this kommune holds in every kommune


class Role(StrEnum):
    """A role in one kommune (the value is what the role table and the group mapping store)."""

    READER = "leser"
    PLANNER = "planlegger"
    DATA_STEWARD = "dataforvalter"
    ADMINISTRATOR = "administrator"  # given by the admin flag; in the role table it sets that flag


ROLE_LABELS: dict[Role, str] = {
    Role.READER: N_("leser"),
    Role.PLANNER: N_("planlegger"),
    Role.DATA_STEWARD: N_("dataforvalter"),
    Role.ADMINISTRATOR: N_("administrator"),
}


class Action(StrEnum):
    """Every kind of write core makes (the value is what the audit log stores)."""

    SCENARIO_SAVE = "scenario.lagre"
    SCENARIO_UPDATE = "scenario.oppdatere"
    SCENARIO_RENAME = "scenario.nytt_navn"
    SCENARIO_DELETE = "scenario.slette"
    SCENARIO_RESTORE = "scenario.gjenopprette"
    REGISTER_EDIT = "register.endre"
    OFFICE_PLAN_SAVE = "kontorplan.lagre"
    OFFICE_PLAN_DELETE = "kontorplan.slette"
    OWN_IMPORT = "egne_tall.laste_inn"
    OWN_RESTORE = "egne_tall.gjenopprette"
    NATIONAL_IMPORT = "statistikk.laste_inn"
    NATIONAL_RESTORE = "statistikk.gjenopprette"
    ROLE_CHANGE = "rolle.endre"


# What each action is, as the end of «… og kan ikke {what}.», and as a label in the audit log.
ACTION_TEXT: dict[Action, str] = {
    Action.SCENARIO_SAVE: N_("lagre scenarioer"),
    Action.SCENARIO_UPDATE: N_("oppdatere scenarioer"),
    Action.SCENARIO_RENAME: N_("gi scenarioer nytt navn"),
    Action.SCENARIO_DELETE: N_("slette scenarioer"),
    Action.SCENARIO_RESTORE: N_("gjenopprette slettede scenarioer"),
    Action.REGISTER_EDIT: N_("endre tiltaks- og prosjektregisteret"),
    Action.OFFICE_PLAN_SAVE: N_("lagre kontorplaner"),
    Action.OFFICE_PLAN_DELETE: N_("slette kontorplaner"),
    Action.OWN_IMPORT: N_("laste inn kommunens egne tall"),
    Action.OWN_RESTORE: N_("gjenopprette en tidligere versjon av kommunens egne tall"),
    Action.NATIONAL_IMPORT: N_("laste inn nasjonal statistikk"),
    Action.NATIONAL_RESTORE: N_("gjenopprette en tidligere versjon av nasjonal statistikk"),
    Action.ROLE_CHANGE: N_("endre roller"),
}

ACTION_LABEL: dict[Action, str] = {
    Action.SCENARIO_SAVE: N_("Scenario lagret"),
    Action.SCENARIO_UPDATE: N_("Scenario oppdatert"),
    Action.SCENARIO_RENAME: N_("Scenario fikk nytt navn"),
    Action.SCENARIO_DELETE: N_("Scenario slettet"),
    Action.SCENARIO_RESTORE: N_("Scenario gjenopprettet"),
    Action.REGISTER_EDIT: N_("Register endret"),
    Action.OFFICE_PLAN_SAVE: N_("Kontorplan lagret"),
    Action.OFFICE_PLAN_DELETE: N_("Kontorplan slettet"),
    Action.OWN_IMPORT: N_("Egne tall lastet inn"),
    Action.OWN_RESTORE: N_("Egne tall gjenopprettet"),
    Action.NATIONAL_IMPORT: N_("Statistikk lastet inn"),
    Action.NATIONAL_RESTORE: N_("Statistikk gjenopprettet"),
    Action.ROLE_CHANGE: N_("Rolle endret"),
}

NEEDS: dict[Action, Role] = {
    Action.SCENARIO_SAVE: Role.PLANNER,
    Action.SCENARIO_UPDATE: Role.PLANNER,
    Action.SCENARIO_RENAME: Role.PLANNER,
    Action.SCENARIO_DELETE: Role.PLANNER,
    Action.SCENARIO_RESTORE: Role.PLANNER,
    Action.REGISTER_EDIT: Role.PLANNER,
    Action.OFFICE_PLAN_SAVE: Role.PLANNER,
    Action.OFFICE_PLAN_DELETE: Role.PLANNER,
    Action.OWN_IMPORT: Role.DATA_STEWARD,
    Action.OWN_RESTORE: Role.DATA_STEWARD,
    Action.NATIONAL_IMPORT: Role.ADMINISTRATOR,
    Action.NATIONAL_RESTORE: Role.ADMINISTRATOR,
    Action.ROLE_CHANGE: Role.ADMINISTRATOR,
}


@dataclass(frozen=True)
class Principal:
    """The person acting: a stable id (the identity provider's subject or e-mail), a name to show,
    the roles they hold as (kommunenummer or «*», role) pairs, and whether they are an administrator."""

    user_id: str
    display_name: str
    grants: frozenset[tuple[str, Role]] = field(default_factory=frozenset)
    admin: bool = False

    @classmethod
    def of(cls, user_id: str, display_name: str, roles: Mapping[str, Iterable[Role | str]] | None = None,
           admin: bool = False) -> Principal:
        """A Principal from kommunenummer → roles (a role «administrator» anywhere sets `admin`)."""
        grants: set[tuple[str, Role]] = set()
        for knr, held in (roles or {}).items():
            for role in held:
                r = Role(role)
                if r is Role.ADMINISTRATOR:
                    admin = True
                else:
                    grants.add((str(knr), r))
        return cls(str(user_id), str(display_name), frozenset(grants), admin)

    def roles_in(self, kommunenummer: str) -> frozenset[Role]:
        """The roles held in a kommune (a planner or data steward is also a reader there)."""
        held = {r for k, r in self.grants if k in (kommunenummer, ALL)}
        if held or self.admin:
            held.add(Role.READER)
        return frozenset(held)

    @property
    def kommuner(self) -> frozenset[str]:
        """The kommuner the person holds a role in («*» for all)."""
        return frozenset(k for k, _ in self.grants)


LOCAL_USER = Principal.of("lokal", "Lokal bruker", {ALL: (Role.PLANNER, Role.DATA_STEWARD)}, admin=True)


def command_line(os_user: str) -> Principal:
    """The person running a command-line tool on the server (tools.importer): they reach the user database
    directly, so they may do everything; the audit log names them by their operating-system account."""
    return Principal.of(f"kommandolinje:{os_user}", t("Kommandolinjen ({user})", user=os_user),
                        {ALL: (Role.PLANNER, Role.DATA_STEWARD)}, admin=True)


# Who writes what nobody asked for (a register seeded from its reference on first use).
SYSTEM = Principal("system", "Legeplan")


class AccessDenied(PermissionError):
    """A write refused because the person lacks the role; the message is Norwegian, for the user."""

    def __init__(self, message: str, action: Action, kommunenummer: str | None) -> None:
        super().__init__(message)
        self.action = action
        self.kommunenummer = kommunenummer


@functools.cache
def _kommune_names() -> dict[str, str]:
    path = Path(__file__).resolve().parent.parent / "data" / "sources" / "kommuner.csv"
    try:
        with path.open(encoding="utf-8") as f:
            return {row["kommunenummer"]: row["display_name"] for row in csv.DictReader(f)}
    except OSError:  # pragma: no cover - the file is committed
        return {}


def kommune_name(kommunenummer: str | None) -> str:
    """A kommune's name for messages (its number if unknown; «alle kommuner» for «*»)."""
    if kommunenummer in (None, ALL):
        return t("alle kommuner")
    return _kommune_names().get(str(kommunenummer), str(kommunenummer))


def allowed(principal: Principal, action: Action, kommunenummer: str | None = None) -> bool:
    """Whether `principal` may do `action` in the kommune (national actions: kommunenummer ignored)."""
    needed = NEEDS[action]
    # SYSTEM seeds a register from its reference, never national data or roles; identity, not equality, so
    # that no signed-in person whose claims happen to match can be it
    if principal is SYSTEM:
        return needed is not Role.ADMINISTRATOR
    if needed is Role.ADMINISTRATOR:
        return principal.admin
    return kommunenummer is not None and needed in principal.roles_in(str(kommunenummer))


def role_list(roles: Iterable[Role]) -> str:
    """Roles in Norwegian, joined: «planlegger og dataforvalter»."""
    names = [t(ROLE_LABELS[r]) for r in Role if r in set(roles) and r is not Role.READER]
    if len(names) <= 1:
        return names[0] if names else t(ROLE_LABELS[Role.READER])
    return t("{first} og {last}", first=", ".join(names[:-1]), last=names[-1])


def refusal(principal: Principal, action: Action, kommunenummer: str | None = None) -> str:
    """The Norwegian message for a refused action: what the person has, what they cannot do, what it takes."""
    what = t(ACTION_TEXT[action])
    needed = NEEDS[action]
    if needed is Role.ADMINISTRATOR:
        return t("Bare en administrator kan {what}.", what=what)
    name = kommune_name(kommunenummer)
    held = principal.roles_in(str(kommunenummer)) if kommunenummer is not None else frozenset()
    if not held:
        first = t("Du har ingen tilgang til {kommune} og kan ikke {what}.", kommune=name, what=what)
    elif held == {Role.READER}:
        first = t("Du har lesetilgang til {kommune} og kan ikke {what}.", kommune=name, what=what)
    else:
        first = t("Du er {roles} for {kommune} og kan ikke {what}.", roles=role_list(held), kommune=name,
                  what=what)
    return first + " " + t("Det krever rollen {role}, som en administrator kan gi deg.",
                           role=t(ROLE_LABELS[needed]))


def require(principal: Principal, action: Action, kommunenummer: str | None = None) -> None:
    """Refuse (AccessDenied, Norwegian message) unless `principal` may do `action` in the kommune."""
    if not allowed(principal, action, kommunenummer):
        raise AccessDenied(refusal(principal, action, kommunenummer), action, kommunenummer)


def roles_from_groups(groups: Iterable[object], mapping: Mapping[str, object]) -> tuple[dict[str, set[Role]], bool]:
    """The roles an identity provider's groups give: (kommunenummer → roles, admin).

    `mapping` is group → one or more of «4631:planlegger», «*:leser» (every kommune) or «administrator»
    (the [legeplan_auth.groups] section of secrets.toml). A group that is not in the mapping gives nothing;
    a mapping entry that is not understood is refused (ValueError, Norwegian), so a typo is not silently
    a lost role.
    """
    held: dict[str, set[Role]] = {}
    admin = False
    wanted = {str(g) for g in groups}
    for group, entries in mapping.items():
        if str(group) not in wanted:
            continue
        for entry in [entries] if isinstance(entries, str) else list(entries):  # type: ignore[call-overload]
            text = str(entry).strip()
            knr, _, role = text.rpartition(":")
            try:
                r = Role(role.strip())
            except ValueError:
                raise ValueError(t("Innloggingsoppsettet gir gruppen «{group}» rollen «{entry}», som ikke finnes. "
                                   "Bruk for eksempel «4631:planlegger», «*:leser» eller «administrator».",
                                   group=group, entry=text)) from None
            if r is Role.ADMINISTRATOR:
                admin = True
            elif knr.strip() == ALL or (len(knr.strip()) == 4 and knr.strip().isdigit()):
                held.setdefault(knr.strip(), set()).add(r)
            else:
                raise ValueError(t("Innloggingsoppsettet gir gruppen «{group}» rollen «{entry}» uten et gyldig "
                                   "kommunenummer. Skriv for eksempel «4631:planlegger».", group=group, entry=text))
    return held, admin


def require_all(principal: Principal, action: Action, kommuner: Iterable[str]) -> None:
    """`require` for every kommune a write touches (an import covering several kommuner); an administrator's
    action (national statistics) is checked once, whichever kommuner it covers."""
    if NEEDS[action] is Role.ADMINISTRATOR:
        require(principal, action, None)
        return
    for knr in sorted(set(kommuner)):
        require(principal, action, knr)
