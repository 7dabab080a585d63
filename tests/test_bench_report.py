"""docs/benchmarks.md is rewritten by `make bench` one section at a time: a run replaces the
sections of the modules it ran and keeps every other section and the text written by hand."""

from bench import run


def test_a_run_replaces_its_section_and_keeps_the_others_and_the_hand_written_text(
    tmp_path, monkeypatch
):
    output = tmp_path / "benchmarks.md"
    monkeypatch.setattr(run, "OUTPUT", output)
    old = run.section("alpha", [], "old machine", "")
    kept = run.section("beta", [], "beta's machine", "")
    by_hand = "## sentiment (feedback/)\n\nmacro-F1 0.915, written by hand.\n"
    output.write_text(f"{run.TITLE}\n\n{run.INTRO}\n\n{old}\n{kept}\n{by_hand}", encoding="utf-8")

    run.write_report({"alpha": run.section("alpha", [], "new machine", "")})

    text = output.read_text(encoding="utf-8")
    assert "new machine" in text and "old machine" not in text
    assert "beta's machine" in text
    assert by_hand.strip() in text and text.count("macro-F1 0.915") == 1
    run.write_report({})  # a second run keeps everything once
    assert output.read_text(encoding="utf-8") == text
