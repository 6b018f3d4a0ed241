"""The command line as organisers use it: exit codes, output, help, init, and the workspace option."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from motesplats import __version__


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"motesplats {__version__}"


@pytest.mark.parametrize("command", [[], ["check"], ["list"], ["init"], ["schema"]])
def test_every_command_has_help(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_check_clean_workspace_exits_0_with_a_summary(cli, tiny):
    result = cli("--workspace", str(tiny.root), "check")
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s). 1 events, 1 sessions, 2 people on 1 rosters" in result.output


def test_check_finds_the_workspace_from_a_subfolder(cli, tiny):
    result = cli("check", cwd=tiny.root / "events")
    assert result.exit_code == 0, result.output


def test_outside_a_workspace_is_a_usage_error(cli, tmp_path):
    result = cli("check", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no motesplats.toml" in result.output
    assert "motesplats init" in result.output


def test_unknown_option_is_a_usage_error(cli, tiny):
    result = cli("--workspace", str(tiny.root), "check", "--no-such-option")
    assert result.exit_code == 2


def test_check_reports_problems_as_file_line_message_and_exits_1(cli, tiny):
    tiny.append("events/konferens.toml", 'romm = "sal-b"\n')
    result = cli("--workspace", str(tiny.root), "check")
    assert result.exit_code == 1
    line = tiny.line_of("events/konferens.toml", "romm")
    assert f"events/konferens.toml:{line}: error: unknown field 'romm' in session 'opening'; " \
           "did you mean 'room'?" in result.output
    assert "Traceback" not in result.output


def test_check_json_is_machine_readable(cli, tiny):
    tiny.append("events/konferens.toml", 'romm = "sal-b"\n')
    result = cli("--workspace", str(tiny.root), "check", "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False and report["errors"] == 1
    assert report["problems"][0]["file"] == "events/konferens.toml"
    assert report["problems"][0]["hint"] == "did you mean 'room'?"


def test_list_prints_swedish_dates_by_default_and_other_languages_on_request(cli, tiny):
    swedish = cli("--workspace", str(tiny.root), "list")
    assert swedish.exit_code == 0, swedish.output
    assert "torsdag 17 maj – fredag 18 maj 2018" in swedish.output
    assert "Konferensen · konferens · 09:00–16:00 · Uppsala Konsert & Kongress, Uppsala" in swedish.output
    french = cli("--workspace", str(tiny.root), "list", "--lang", "fr", "--sessions")
    assert "jeudi 17 mai – vendredi 18 mai 2018" in french.output
    assert "jeu 17 mai 09:00–10:00  Öppning  (Sal A)" in french.output


def test_list_from_a_date_leaves_out_earlier_events(cli, tiny):
    result = cli("--workspace", str(tiny.root), "list", "--from", "2019-01-01")
    assert result.exit_code == 0
    assert "Inget planerat." in result.output
    bad = cli("--workspace", str(tiny.root), "list", "--from", "17/5")
    assert bad.exit_code == 2


def test_list_refuses_to_run_on_a_broken_workspace(cli, tiny):
    tiny.append("events/konferens.toml", 'romm = "sal-b"\n')
    result = cli("--workspace", str(tiny.root), "list")
    assert result.exit_code == 1
    assert "unknown field 'romm'" in result.output


def test_init_creates_a_workspace_that_checks_clean(cli, tmp_path):
    target = tmp_path / "new"
    result = cli("init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "schema" / "events.schema.json").is_file()
    assert (target / ".gitignore").read_text().split() == ["build/", ".motesplats-secret", ".motesplats-cache/"]
    checked = cli("--workspace", str(target), "check", "--strict")
    assert checked.exit_code == 0, checked.output


def test_init_refuses_a_folder_that_is_not_empty(cli, tmp_path):
    (tmp_path / "keep.txt").write_text("precious")
    result = cli("init", str(tmp_path))
    assert result.exit_code == 1
    assert (tmp_path / "keep.txt").read_text() == "precious"


def test_installed_console_script_runs(tiny):
    result = subprocess.run([sys.executable, "-m", "motesplats", "--workspace", str(tiny.root), "check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_serve_builds_then_serves_feeds_on_loopback(tiny):
    import re
    import urllib.request

    process = subprocess.Popen([sys.executable, "-m", "motesplats", "--workspace", str(tiny.root), "serve",
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        address = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert address, line + process.stderr.read()
        with urllib.request.urlopen(address.group(0) + "calendars/public.ics", timeout=10) as response:
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
            assert response.read().startswith(b"BEGIN:VCALENDAR\r\n")
            assert response.headers["ETag"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_import_participants_dry_run_then_merge(cli, tiny, tmp_path):
    export = tmp_path / "deltagare.csv"
    export.write_bytes("Namn;E-post;Organisation\r\nÅsa Öberg;ASA@EXAMPLE.ORG;Uppsala kommun\r\n"
                       "Şükrü Çağlar;sukru@example.org;Region Uppsala\r\n;nobody@example.org;\r\n"
                       .encode("utf-8"))
    roster = tiny.root / "events" / "board.csv"
    before = roster.read_bytes()
    dry = cli("--workspace", str(tiny.root), "import", "participants", str(export), "--roster", "board", "--dry-run")
    assert dry.exit_code == 1, dry.output  # one row had no name
    assert "deltagare.csv:4" in dry.output and "Nothing was written" in dry.output
    assert roster.read_bytes() == before
    done = cli("--workspace", str(tiny.root), "import", "participants", str(export), "--roster", "board")
    assert "1 added" in done.output and "1 unchanged" in done.output
    text = roster.read_text(encoding="utf-8-sig")
    assert text.count("Åsa Öberg") == 1 and "Şükrü Çağlar" in text
    assert cli("--workspace", str(tiny.root), "check").exit_code == 0


def test_programme_writes_pdf_and_html_in_the_asked_language(cli, tiny):
    result = cli("--workspace", str(tiny.root), "programme", "konferens", "--lang", "en", "--paper", "A5")
    assert result.exit_code == 0, result.output
    pdf = tiny.root / "build" / "programmes" / "konferens.en.pdf"
    html = tiny.root / "build" / "programmes" / "konferens.en.html"
    assert pdf.read_bytes().startswith(b"%PDF") and 'lang="en"' in html.read_text(encoding="utf-8")
    unknown = cli("--workspace", str(tiny.root), "programme", "konferns")
    assert unknown.exit_code == 2 and "did you mean 'konferens'?" in unknown.output


def test_badges_for_an_event_with_a_layout_by_name(cli, tiny):
    result = cli("--workspace", str(tiny.root), "badges", "konferens", "--layout", "a6-lanyard")
    assert result.exit_code == 0, result.output
    assert (tiny.root / "build" / "badges" / "konferens.pdf").read_bytes().startswith(b"%PDF")
    bad = cli("--workspace", str(tiny.root), "badges", "konferens", "--layout", "a4-99up")
    assert bad.exit_code == 2 and "a4-8up" in bad.output


def test_build_writes_programmes_and_badges_and_serve_keeps_badges_private(tiny):
    from motesplats.build import build
    from motesplats.serve import locate
    from motesplats.workspace import open_workspace

    report = build(open_workspace(tiny.root))
    assert {"programmes/konferens.sv.pdf", "programmes/konferens.sv.html", "badges/konferens.pdf"} <= \
        set(report.written)
    root = (tiny.root / "build").resolve()
    assert locate(root, "/badges/konferens.pdf") is None
    assert locate(root, "/Badges/konferens.pdf") is None and locate(root, "/BADGES/") is None
    assert locate(root, "/programmes/konferens.sv.pdf") == root / "programmes" / "konferens.sv.pdf"


def test_build_only_feeds_leaves_programmes_and_badges_alone(cli, tiny):
    result = cli("--workspace", str(tiny.root), "build", "--only", "feeds")
    assert result.exit_code == 0, result.output
    assert (tiny.root / "build" / "calendars" / "public.ics").is_file()
    assert not (tiny.root / "build" / "programmes").exists() and not (tiny.root / "build" / "badges").exists()
    assert cli("--workspace", str(tiny.root), "build", "--only", "posters").exit_code == 2


def test_import_keeps_the_rosters_crlf_line_endings(cli, tiny, tmp_path):
    roster = tiny.root / "events" / "board.csv"
    roster.write_bytes(roster.read_bytes().replace(b"\n", b"\r\n"))
    export = tmp_path / "ny.csv"
    export.write_bytes("Namn;E-post\r\nCy Ek;cy@example.org\r\n".encode("cp1252"))
    assert cli("--workspace", str(tiny.root), "import", "participants", str(export), "--roster", "board").exit_code == 0
    data = roster.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") == 4


def test_importing_into_a_new_roster_titles_it_and_keeps_every_script(cli, tiny, tmp_path):
    listing = tmp_path / "lista.csv"
    listing.write_text("namn;e-post\nΓιώργος Παπαδόπουλος;g@example.org\nمحمد العلي;m@example.org\n"
                       "Søren Ærø-Þórsdóttir;s@example.org\nWeiß;w@example.org\n?ukasz ?ó??;l@example.org\n",
                       encoding="utf-8")
    result = cli("--workspace", str(tiny.root), "import", "participants", str(listing), "--roster", "gaster",
                 "--title", "Gäster från Europa")
    assert result.exit_code == 0, result.output
    assert "lista.csv:6: warning: the name '?ukasz ?ó??' has question marks" in result.output
    roster = (tiny.root / "events" / "gaster.csv").read_text(encoding="utf-8-sig")
    assert {"giorgos-papadopoylos", "mhmd-l-ly", "soren-aero-thorsdottir", "weiss"} <= \
        {line.split(";")[0] for line in roster.splitlines()[1:]}
    assert 'id = "gaster"\ntitle = "Gäster från Europa"' in (tiny.root / "events" / "rosters.toml").read_text(
        encoding="utf-8")
    checked = cli("--workspace", str(tiny.root), "check")
    assert checked.exit_code == 0, checked.output


def test_an_import_whose_rows_are_all_rejected_creates_no_roster(cli, tiny, tmp_path):
    listing = tmp_path / "lista.csv"
    listing.write_text("namn;e-post\n;a@example.org\nBo Ek;inte-en-adress\n", encoding="utf-8")
    result = cli("--workspace", str(tiny.root), "import", "participants", str(listing), "--roster", "tomma")
    assert result.exit_code == 1
    assert not (tiny.root / "events" / "tomma.csv").exists()
    assert not (tiny.root / "events" / "rosters.toml").exists() or \
        "tomma" not in (tiny.root / "events" / "rosters.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [("--workspace", "{ws}", "check"), ("check", "--workspace", "{ws}"),
                                  ("check", "-w", "{ws}"), ("check", "--workspace={ws}", "--strict"),
                                  ("list", "--workspace", "{ws}", "--lang", "en")])
def test_the_workspace_option_goes_before_or_after_the_command(cli, tiny, tmp_path, args):
    result = cli(*(arg.format(ws=tiny.root) for arg in args), cwd=tmp_path)  # not inside the workspace
    assert result.exit_code == 0, result.output
    assert "The conference" in result.output or "0 error(s)" in result.output


def test_the_workspace_option_after_a_subcommand_of_import(cli, tiny, tmp_path):
    listing = tmp_path / "lista.csv"
    listing.write_text("namn;e-post\nNy Person;ny@example.org\n", encoding="utf-8")
    result = cli("import", "participants", str(listing), "--roster", "board", "--dry-run",
                 "--workspace", str(tiny.root), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "Ny Person" in result.output or "ny-person" in result.output
