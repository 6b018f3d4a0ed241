"""Roster roles checked against the badge role styles, for `motesplats check`.

A check of the plan (its rosters' rows) against roles.toml, so it lives with the other checks:
the role styles themselves (`motesplats.badge_styles`) are data and know nothing of the plan.
"""

from __future__ import annotations

from motesplats.badge_styles import STAFF_ROSTER, RoleStyles, load_roles
from motesplats.model import Person, Plan
from motesplats.problems import Problem, Severity


def role_problems(plan: Plan, roles: RoleStyles | None = None) -> list[Problem]:
    """Roles on the rosters that have no band of their own (their badges get the default band).

    Reported once per role, at the first roster row that uses it. Characters the font cannot
    draw are checked for everyone by `conflicts.unprintable_names`.
    """
    roles = roles or load_roles()
    first_use: dict[str, Person] = {}
    for roster in plan.rosters:
        if roster.id == STAFF_ROSTER:
            continue  # the staff roster's badges all say 'personal'
        for member in roster.members:
            if member.role not in roles.styles:
                first_use.setdefault(member.role, member.person)
    problems = []
    for role, person in first_use.items():
        where = person.source
        problems.append(Problem(where.file if where else "", where.line if where else 0,
                                f"role {role!r} has no band in roles.toml",
                                "its badges get the default band; add [role.\"" + role + "\"] to "
                                "templates/badges/roles.toml", Severity.WARNING))
    return problems
