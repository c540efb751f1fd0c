"""The YAML module: what the person wrote is what the model sees; nothing unsafe gets through."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from ledger_tt import yamlio


def test_times_and_words_stay_the_text_that_was_written():
    loaded = yamlio.load("start: 8:30\nend: 16:00\nwith: no\nactivity: 1\nnotes: yes\ndate: 2013-11-04\n", "f.yaml")
    assert loaded.problems == []
    assert loaded.value == {"start": "8:30", "end": "16:00", "with": "no", "activity": "1", "notes": "yes", "date": "2013-11-04"}


def test_empty_tilde_and_null_mean_nothing_but_quoted_null_is_text():
    loaded = yamlio.load('a:\nb: ~\nc: null\nd: "null"\n', "f.yaml")
    assert loaded.value == {"a": None, "b": None, "c": None, "d": "null"}


def test_positions_are_one_based_line_and_column_of_each_value():
    loaded = yamlio.load('date: 2013-11-04\npeople:\n  - "Doe, Jane"\n  - "Roe, Rick"\n', "f.yaml")
    assert loaded.positions[("date",)] == (1, 7)
    assert loaded.positions[("people", 1)] == (4, 5)
    assert loaded.key_positions[("people",)] == (2, 1)


def test_alias_bomb_is_refused_without_expanding():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    loaded = yamlio.load(bomb, "bomb.yaml")
    assert {p.code for p in loaded.problems} == {"yaml-alias"}
    assert loaded.problems[0].line == 1


def test_every_yaml_problem_of_a_file_is_reported_not_just_the_first():
    loaded = yamlio.load("a: !!int 1\nb: &x 2\nb: 3\n", "f.yaml")
    assert [(p.code, p.line) for p in loaded.problems] == [("yaml-tag", 1), ("yaml-alias", 2), ("yaml-duplicate-key", 3)]


def test_a_ten_megabyte_file_is_refused_before_parsing():
    loaded = yamlio.load(b"a: " + b"x" * 10_000_000, "big.yaml")
    assert [p.code for p in loaded.problems] == ["file-too-large"]


def test_deep_nesting_is_refused():
    loaded = yamlio.load("a: " + "[" * 50 + "]" * 50, "deep.yaml")
    assert [p.code for p in loaded.problems] == ["not-a-record"]


def test_scalar_writer_output_reads_back_as_the_same_text_in_every_yaml_reader():
    import yaml

    for text in ["yes", "no", "8:30", "Doe, Jane", "a: b", "#x", "- x", "Planned the PD", "null", "1e3", "O'Neil, Pat", "é"]:
        dumped = yamlio.scalar(text)
        assert yaml.safe_load(f"k: {dumped}\n")["k"] == text
        assert yamlio.load(f"k: {dumped}\n", "f").value["k"] == text


def test_atomic_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "sub" / "x.yaml"
    yamlio.atomic_write(target, "one\n")
    yamlio.atomic_write(target, "two\n")
    assert target.read_text() == "two\n"
    assert os.listdir(target.parent) == ["x.yaml"]  # no temp file left behind


def test_a_kill_during_a_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "x.yaml"
    target.write_text("old: true\n")
    script = textwrap.dedent(
        f"""
        import os, ledger_tt.yamlio as y
        real = os.replace
        def die(*a): os._exit(9)  # the process dies between fsync and rename
        os.replace = die
        y.atomic_write(__import__('pathlib').Path({str(target)!r}), 'new: true\\n')
        """
    )
    assert subprocess.run([sys.executable, "-c", script]).returncode == 9
    assert target.read_text() == "old: true\n"
