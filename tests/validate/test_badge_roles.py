"""`motesplats check` against the badge role styles: roster roles that have no band."""

from __future__ import annotations


def test_check_names_each_role_without_a_band_once_at_its_first_row(tiny):
    tiny.append("events/board.csv", "cy-ek;Cy Ek;observatör;Region Uppsala;cy@example.org;S\n"
                                    "di-ek;Di Ek;observatör;Region Uppsala;di@example.org;S\n")
    checked = tiny.check()
    (warning,) = [p for p in checked.warnings if "no band" in p.message]
    assert (warning.file, warning.line) == ("events/board.csv", tiny.line_of("events/board.csv", "cy-ek"))
    assert "observatör" in warning.message and "templates/badges/roles.toml" in warning.hint


def test_the_staff_rosters_roles_need_no_band(tiny):
    """Everyone on the staff roster wears the 'personal' band, whatever their role there."""
    tiny.write("events/staff.csv", "id;namn;roll\ncarl-berg;Carl Berg;kanslist\n")
    assert not [p for p in tiny.check().warnings if "no band" in p.message]
    tiny.write("events/team.csv", "id;namn;roll\ndan-berg;Dan Berg;kanslist\n")
    assert [p.file for p in tiny.check().warnings if "no band" in p.message] == ["events/team.csv"]
