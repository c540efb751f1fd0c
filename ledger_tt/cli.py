"""The `ledger-tt` command. With no subcommand it opens the app.

Exit codes: 0 done (or clean), 1 the data has problems or a step failed, 2 usage error.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import config
from .problems import Problem, format_json, format_text
from .program import ProgramError, find_program, load_program
from .times import today

FIELD_FLAGS = {"people": "--person", "with": "--with", "task": "--task", "notes": "--notes"}


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _ledger_or_exit(option: str | None) -> Path:
    root = config.configured_ledger(option)
    if root is None:
        raise click.UsageError("no ledger here: pass --ledger DIR, set LEDGER_TT_LEDGER, or run `ledger-tt init DIR`")
    if not (root / "ledger.yaml").is_file():
        raise click.UsageError(f"{root} is not a ledger (no ledger.yaml); create one with `ledger-tt init {root}`")
    return root


def _load_state(root: Path, **kwargs):
    from .ledger import load_ledger

    state = load_ledger(root, **kwargs)
    if state.profile is None or state.program is None:
        click.echo(format_text(state.problems), err=True)
        _fail(f"cannot read the ledger at {root}")
    return state


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--ledger", "ledger_opt", metavar="DIR", help="The ledger to open (default: configured one).")
@click.version_option(package_name="ledger-tt")
@click.pass_context
def main(ctx: click.Context, ledger_opt: str | None) -> None:
    """ledger-tt: log and report teacher-leader time in a git-backed plain-text ledger.

    Run with no command to open the app."""
    if ctx.invoked_subcommand is None:
        from .tui.app import run_app

        sys.exit(run_app(ledger_opt))


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--program", "program_spec", default="career-pathways-sample", show_default=True, help="Built-in program name or program directory.")
@click.option("--leader", "leader_id", help="Leader id; name, email and campuses default to the program's leader list.")
@click.option("--name", help="Your name as it appears in reports.")
@click.option("--email")
@click.option("--campus", "campuses", multiple=True, help="Campus id (repeat for several).")
@click.option("--remote", "remote", metavar="URL", help="The repository to push to (see `ledger-tt remote`).")
@click.option("--remember/--no-remember", default=True, help="Open this ledger by default in the app.")
def init(directory: Path, program_spec: str, leader_id: str | None, name: str | None, email: str | None, campuses: tuple[str, ...], remote: str | None, remember: bool) -> None:
    """Create a leader's ledger in DIRECTORY: a git repository with profile, hook and first commit."""
    from .model import Profile
    from .saving import LedgerExists, init_ledger, leader_id_from_name

    try:
        program_dir = find_program(program_spec, Path.cwd())
        program = load_program(program_dir)
    except ProgramError as err:
        _fail(str(err), 2)
    leader = program.leaders.get(leader_id) if leader_id else None
    fields = {
        "leader": leader_id or leader_id_from_name(name or ""),
        "name": name or (leader.name if leader else None),
        "email": email or (leader.email if leader else None),
        "campuses": list(campuses) or (list(leader.campuses) if leader else []),
        "program": program_spec if program_spec in _builtin_names() else str(program_dir.resolve()),
    }
    missing = [flag for flag, key in (("--name", "name"), ("--email", "email"), ("--campus", "campuses")) if not fields[key]]
    if not fields["leader"]:
        missing.insert(0, "--leader")
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)} (or --leader ID of a leader listed in the program)")
    try:
        profile = Profile(**fields)
        sha = init_ledger(directory, profile, program)
    except LedgerExists as err:
        _fail(str(err))
    except ValueError as err:
        _fail(str(err), 2)
    if remember:
        config.remember_ledger(directory)
    click.echo(f"Created ledger {directory} for {profile.name} ({', '.join(profile.campuses)}), commit {sha[:8]}")
    if remote:
        from .sync import set_remote

        try:
            set_remote(directory, remote)
        except ValueError as err:
            _fail(f"the ledger was created, but the remote was not set: {err}", 2)
        click.echo(f"Remote set to {remote}; `ledger-tt sync` pushes your records there.")


def _builtin_names() -> set[str]:
    from .paths import builtin_program_dirs

    return set(builtin_program_dirs())


@main.command()
@click.option("--ledger", "ledger_opt", metavar="DIR", help="Ledger directory (default: the current one).")
@click.option("--date", "date_", help="YYYY-MM-DD (default: today).")
@click.option("--start", required=True, help='"8:30", "08:30" or "4:00 PM".')
@click.option("--end", required=True)
@click.option("--campus", help="Campus id (default: your only or first campus).")
@click.option("--activity", required=True, help="Activity code or number 1-7, or 'other'.")
@click.option("--task", help="One of the activity's examples.")
@click.option("--with", "with_", required=True, type=click.Choice(["individual", "group", "students", "self"]))
@click.option("--person", "-p", "people", multiple=True, help='"Last, First" (repeat for each person).')
@click.option("--people", "people_lines", help="Several names separated by ';' or new lines.")
@click.option("--notes")
def add(ledger_opt, date_, start, end, campus, activity, task, with_, people, people_lines, notes) -> None:
    """Log one activity: check it, write its file and commit it."""
    from .saving import check_draft, save_record
    from .gitops import GitError

    from .sync import ledger_lock, recover

    root = _ledger_or_exit(ledger_opt)
    try:
        with ledger_lock(root):  # never sweep away another writer's temp file
            recovered = recover(root)
    except OSError as err:
        _fail(f"the record could not be saved: {err.strerror or err}: {getattr(err, 'filename', '')}")
    for line in recovered:
        click.echo(line, err=True)
    state = _load_state(root)
    names = list(people) + [n.strip() for n in (people_lines or "").replace("\n", ";").split(";") if n.strip()]
    fields = {
        "date": date_ or today().isoformat(),
        "start": start,
        "end": end,
        "campus": campus or state.profile.campuses[0],
        "activity": activity,
        "task": task,
        "with": with_,
        "people": names,
        "notes": notes,
    }
    record, findings = check_draft(fields, state, today())
    if findings:
        from .problems import CODES

        for field, code, message in findings:
            flag = FIELD_FLAGS.get(field.split(".")[0], f"--{field.split('.')[0]}") if field else ""
            click.echo(f"error[{code}]: {flag + ': ' if flag else ''}{message}\n  hint: {CODES.get(code, '')}", err=True)
        _fail("nothing was written")
    try:
        saved = save_record(state, record)
    except (GitError, OSError, ValueError) as err:
        _fail(f"the record could not be saved: {err}")
    click.echo(f"Saved {saved.relpath}\nCommitted {saved.commit[:8]}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--staged", is_flag=True, help="Check what is staged in the current ledger (the pre-commit hook).")
def check(paths: tuple[Path, ...], fmt: str, staged: bool) -> None:
    """Check ledgers or record files. Silent when clean; otherwise FILE:LINE:COL problems, exit 1."""
    from .checking import check_paths, check_staged

    try:
        if staged:
            problems = check_staged(Path.cwd())
        else:
            targets = list(paths) or [_ledger_or_exit(None)]
            problems = check_paths(targets)
    except FileNotFoundError as err:
        raise click.UsageError(str(err)) from None
    _print_problems(problems, fmt)
    sys.exit(1 if problems else 0)


def _print_problems(problems: list[Problem], fmt: str) -> None:
    if fmt == "json":
        click.echo(format_json(problems))
    elif problems:
        click.echo(format_text(problems))
        files = len({p.file for p in problems})
        click.echo(f"{len(problems)} problem{'s' * (len(problems) != 1)} in {files} file{'s' * (files != 1)}", err=True)


@main.command()
@click.option("--ledger", "ledger_opt", metavar="DIR", help="Ledger directory (default: the current one).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First date, YYYY-MM-DD.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last date, YYYY-MM-DD.")
@click.option("--activity", help="Activity code or number.")
@click.option("--with", "with_", type=click.Choice(["individual", "group", "students", "self"]))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def entries(ledger_opt, start, end, activity, with_, fmt) -> None:
    """List your records, newest first, with the total hours."""
    from . import entries as listing

    root = _ledger_or_exit(ledger_opt)
    state = _load_state(root)
    if activity and state.program.taxonomy.resolve(activity) is None:
        raise click.UsageError(f"unknown activity '{activity}'; use a code or number from `ledger-tt program`")
    flt = listing.Filter(start.date() if start else None, end.date() if end else None, activity, with_)
    chosen = listing.select(state.entries, flt, state.program.taxonomy)
    rows = listing.as_rows(chosen, state.program.taxonomy)
    total = listing.total_hours(chosen)
    if fmt == "csv":
        click.echo(listing.to_csv(rows), nl=False)
    elif fmt == "json":
        click.echo(listing.to_json(rows, total))
    else:
        _print_table(rows, total, state)
    if state.problems and fmt == "table":
        click.echo(f"({len(state.problems)} problem(s) in hand-edited files are not listed: run `ledger-tt check`)", err=True)


def _print_table(rows: list[dict], total: float, state) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{state.profile.name} — {len(rows)} activities, {total:.2f} hours", title_justify="left")
    for column in ("date", "start", "end", "hours", "activity", "with", "people"):
        table.add_column(column, justify="right" if column == "hours" else "left", overflow="fold")
    for row in rows:
        table.add_row(*(str(row[c]) for c in ("date", "start", "end", "hours", "activity", "with", "people")))
    Console().print(table)


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def program(directory: Path | None) -> None:
    """Show a program: calendar periods, activities and campuses."""
    from .paths import DEFAULT_PROGRAM

    try:
        prog = load_program(directory or find_program(DEFAULT_PROGRAM))
    except ProgramError as err:
        _fail(str(err), 2)
    cal = prog.calendar
    click.echo(f"{prog.name} ({prog.id})\nCalendar: {cal.name}, {cal.start} to {cal.end}")
    for period in cal.periods:
        click.echo(f"  {period.label}")
    click.echo("Activities:")
    for activity in prog.taxonomy.activities:
        click.echo(f"  {activity.number or '-'}  {activity.code:26} {activity.name}")
    click.echo("Campuses:")
    for campus in prog.campuses.values():
        click.echo(f"  {campus.id:14} {campus.name} ({len(campus.roster)} people)")


@main.command()
@click.option("--write", is_flag=True, help="Refresh schema/record.schema.json instead of printing it.")
def schema(write: bool) -> None:
    """Print the JSON Schema of a record file (editors use it to check as you type)."""
    from .schemagen import SCHEMA_FILE, render
    from .yamlio import atomic_write

    if write:
        atomic_write(SCHEMA_FILE, render())
        click.echo(f"Wrote {SCHEMA_FILE}")
    else:
        click.echo(render(), nl=False)


def parse_range_options(calendar, period: int | None, month: str | None, start, end, today_):
    """The report range from --period / --month / --from --to (default: the current period)."""
    from .summary import Range, current_period_range, month_range, period_range

    chosen = sum(x is not None for x in (period, month)) + (start is not None or end is not None)
    if chosen > 1:
        raise click.UsageError("choose one of --period, --month or --from/--to")
    if period is not None:
        if not 1 <= period <= len(calendar.periods):
            raise click.UsageError(f"--period must be 1-{len(calendar.periods)}")
        return period_range(calendar, period)
    if month is not None:
        try:
            year, mon = (int(x) for x in month.split("-"))
            return month_range(calendar, year, mon)
        except ValueError:
            raise click.UsageError(f"--month '{month}' is not YYYY-MM") from None
    if start is not None or end is not None:
        lo = start.date() if start else calendar.start
        hi = end.date() if end else calendar.end
        if hi < lo:
            raise click.UsageError("--to is before --from")
        return Range(lo, hi, f"{lo} to {hi}")
    return current_period_range(calendar, today_)


@main.command()
@click.option("--ledger", "ledger_opt", metavar="DIR", help="Ledger directory (default: the current one).")
@click.option("--period", type=int, help="Period number (see `ledger-tt program`).")
@click.option("--month", help="YYYY-MM.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]))
def summary(ledger_opt, period, month, start, end) -> None:
    """Your hours by activity, per week, and the people you spent most time with."""
    from .summary import render_text, rows_from_entries, summarize

    root = _ledger_or_exit(ledger_opt)
    state = _load_state(root)
    program_ = state.program
    rng = parse_range_options(program_.calendar, period, month, start, end, today())
    result = summarize(rows_from_entries(state.entries, program_.taxonomy), rng, program_.calendar, program_.taxonomy)
    click.echo(f"{state.profile.name}\n" + render_text(result, program_.taxonomy))


@main.command()
@click.argument("url")
@click.option("--ledger", "ledger_opt", metavar="DIR", help="Ledger directory (default: the current one).")
def remote(url: str, ledger_opt: str | None) -> None:
    """Set the repository your ledger is pushed to (https or ssh URL, or a path)."""
    from .sync import set_remote

    root = _ledger_or_exit(ledger_opt)
    try:
        set_remote(root, url)
    except ValueError as err:
        _fail(str(err), 2)
    click.echo(f"Remote set to {url}; run `ledger-tt sync` to push.")


@main.command()
@click.option("--ledger", "ledger_opt", metavar="DIR", help="Ledger directory (default: the current one).")
@click.option("--prefer", type=click.Choice(["mine", "theirs"]), help="Settle every conflict this way without asking.")
def sync(ledger_opt: str | None, prefer: str | None) -> None:
    """Commit what is pending, fetch your other devices' records, merge, push."""
    from .gitops import GitError
    from .sync import SyncConflict, sync as run_sync, sync_with_choices

    root = _ledger_or_exit(ledger_opt)
    try:
        report = run_sync(root, prefer)
    except SyncConflict as conflict:
        if not sys.stdin.isatty():
            for c in conflict.conflicts:
                click.echo(f"conflict: {c.path} was changed on this device and on another", err=True)
            _fail("nothing was merged; run `ledger-tt sync` in a terminal to choose, or `--prefer mine|theirs`")
        choices = {}
        for c in conflict.conflicts:
            click.echo(f"\n{c.path} was changed on both devices.")
            click.echo("--- mine (this device) ---\n" + (c.mine or "(deleted)\n"))
            click.echo("--- theirs (the other device) ---\n" + (c.theirs or "(deleted)\n"))
            choices[c.path] = click.prompt("Keep which?", type=click.Choice(["mine", "theirs"]))
        report = sync_with_choices(root, choices)
    except GitError as err:
        _fail(str(err))
    for line in report.lines():
        click.echo(line)
    if report.problems:
        _print_problems(report.problems, "text")
    sys.exit(1 if report.error or report.held_back or report.problems else 0)


@main.command()
@click.option("--ledger", "ledger_opt", metavar="DIR", help="Ledger directory (default: the current one).")
def status(ledger_opt: str | None) -> None:
    """What period it is, when it closes, and whether all of it is pushed."""
    from .sync import status_of

    root = _ledger_or_exit(ledger_opt)
    try:
        info = status_of(root, today())
    except ProgramError as err:
        _fail(str(err))
    if info["profile"] is None:
        _fail(f"{root}/ledger.yaml has problems: run `ledger-tt check`")
    period = info["period"]
    click.echo(f"{info['profile'].name} · {info['program'].name}")
    if period is None:
        click.echo(f"Today ({today()}) is outside the tracking window.")
    else:
        days = (period.end - today()).days
        click.echo(f"{period.label}: closes {period.end:%A %b %-d} ({'today' if days == 0 else f'in {days} day(s)'}).")
    if info["pending"]:
        click.echo(f"{len(info['pending'])} file(s) changed but not committed: {', '.join(info['pending'])} (`ledger-tt sync` commits them).")
    if info["remote"] is None:
        click.echo("No remote is set: your records are only on this computer (`ledger-tt remote URL`).")
    elif info["unpushed"]:
        click.echo(f"{info['unpushed']} commit(s) not pushed to {info['remote']}: run `ledger-tt sync` before the deadline.")
    else:
        click.echo(f"Everything is pushed to {info['remote']}.")


@main.command(name="clone")
@click.argument("url")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--remember/--no-remember", default=True, help="Open this ledger by default in the app.")
def clone_cmd(url: str, directory: Path, remember: bool) -> None:
    """Set up your ledger on another device from its remote."""
    from .gitops import GitError
    from .saving import LedgerExists, clone_ledger

    try:
        profile = clone_ledger(url, directory)
    except (LedgerExists, GitError, ValueError) as err:
        _fail(str(err))
    if remember:
        config.remember_ledger(directory)
    click.echo(f"Cloned {profile.name}'s ledger into {directory}; `ledger-tt sync` keeps both devices in step.")


@main.command()
@click.option("--program", "program_dir", type=click.Path(file_okay=False, path_type=Path), help="The program directory (leaders.yaml names each remote).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), help="Mirrors, collect log and parse cache (default: per-user data folder).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Where the dataset goes (default: CACHE/dataset).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]), help="The time this run counts as (UTC); for reproducible re-runs.")
@click.option("--allow-local", is_flag=True, help="Allow local paths and file:// remotes (tests, demos).")
@click.option("--require-signed", is_flag=True, help="Every new commit must carry a valid SSH signature by the leader's registered key.")
@click.option("--jobs", default=8, show_default=True, help="Remotes fetched at once.")
@click.option("--timeout", default=60.0, show_default=True, help="Seconds allowed per remote.")
@click.option("--demo", is_flag=True, help="Build bare remotes from the sample ledgers and collect them, period by period.")
def collect(program_dir, cache_dir, out_dir, as_of, allow_local, require_signed, jobs, timeout, demo) -> None:
    """Fetch every leader's ledger and merge them into one checked dataset."""
    import datetime as dt

    from rich.progress import Progress

    from .collect.collect import collect as run_collect
    from .collect.output import status_table, write_dataset
    from .paths import data_dir

    if demo:
        from .collect.demo import default_demo_cache, run_demo

        cache_dir = cache_dir or default_demo_cache()
        try:
            result, program_dir = run_demo(cache_dir, progress=lambda note: click.echo(note, err=True))
        except FileExistsError as err:
            _fail(str(err), 2)
    else:
        if program_dir is None:
            raise click.UsageError("--program DIR is needed (or --demo)")
        cache_dir = cache_dir or data_dir() / "collect"
        moment = as_of.replace(tzinfo=dt.timezone.utc) if as_of else None
        try:
            with Progress(transient=True) as bar:
                program_ = load_program(program_dir, (moment or dt.datetime.now(dt.timezone.utc)).date())
                task = bar.add_task("fetching", total=len(program_.leaders))
                result = run_collect(program_dir, cache_dir, as_of=moment, allow_local=allow_local, require_signed=require_signed,
                                     jobs=jobs, timeout=timeout, progress=lambda leader: bar.advance(task), program=program_)
        except ProgramError as err:
            _fail(str(err), 2)
    out = out_dir or Path(cache_dir) / "dataset"
    started = time.perf_counter()
    write_dataset(result, out)
    result.timings["write"] = time.perf_counter() - started
    counts = result.counts
    click.echo(status_table(result))
    click.echo(f"\n{counts['read']} records read: {counts['accepted']} accepted, {counts['refused']} refused "
               f"({counts['parsed']} files parsed this run)")
    click.echo("time: " + ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in result.timings.items()), err=True)
    problems = result.problem_rows()
    if problems:
        click.echo(f"{len(problems)} problem(s), listed in {out / 'problems.csv'}:")
        for p in problems[:20]:
            click.echo(f"  {p['leader']}: {p['file']}:{p['line']}:{p['column']}: {p['code']}: {p['message']}")
        if len(problems) > 20:
            click.echo(f"  ... and {len(problems) - 20} more")
    click.echo(f"Dataset: {out}")


@main.command()
@click.option("--program", "program_dir", type=click.Path(file_okay=False, path_type=Path), help="The program directory.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), help="The collector's cache (its dataset/ is read).")
@click.option("--dataset", "dataset_dir", type=click.Path(file_okay=False, path_type=Path), help="The dataset directory, if not CACHE/dataset.")
@click.option("--period", type=int, help="Period number.")
@click.option("--month", help="YYYY-MM.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--campus", help="Only this campus (no district overview).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "csv", "json", "html"]), default="html", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Where the reports go (default: CACHE/reports/RANGE).")
@click.option("--demo", is_flag=True, help="Read the sample program and the dataset `collect --demo` wrote.")
def report(program_dir, cache_dir, dataset_dir, period, month, start, end, campus, fmt, out_dir, demo) -> None:
    """Campus reports by period, month or range, and a district overview."""
    import datetime as dt

    from .paths import data_dir
    from .report.data import load_dataset
    from .report.write import slug, write_reports

    if demo:
        from .collect.demo import default_demo_cache

        cache_dir = cache_dir or default_demo_cache()
        program_dir = program_dir or Path(cache_dir) / "program"
    if program_dir is None:
        raise click.UsageError("--program DIR is needed (or --demo)")
    cache_dir = Path(cache_dir or data_dir() / "collect")
    try:
        prog = load_program(program_dir)
        dataset = load_dataset(dataset_dir or cache_dir / "dataset")
    except ProgramError as err:
        _fail(str(err), 2)
    except FileNotFoundError as err:
        _fail(str(err), 2)
    if campus and campus not in prog.campuses:
        raise click.UsageError(f"--campus {campus} is not in the program ({', '.join(prog.campuses)})")
    as_of = dt.date.fromisoformat(dataset.as_of[:10])
    rng = parse_range_options(prog.calendar, period, month, start, end, min(as_of, prog.calendar.end))
    out = Path(out_dir or cache_dir / "reports" / slug(rng))
    written = write_reports(prog, dataset, rng, fmt, out, campus)
    if fmt == "text":
        for path in written:
            click.echo(path.read_text())
    for path in written:
        click.echo(f"Wrote {path}", err=fmt == "text")
