from study.benchmarks import external_summary as summary


def test_summary_counts_and_never_shows_harmful_text(fake_cache, capsys):
    summary.main([])
    out = capsys.readouterr().out
    assert "ext-harmbench" in out and "total download" in out
    assert "fixture request" not in out and "fixture persona" not in out
    summary.main(["--markdown"])
    md = capsys.readouterr().out
    assert "fixture request" not in md and "fixture past request" not in md and "Fixture wrapper" not in md
    assert md.count("(harmful, not shown)") == 4 + 2  # four harmful benchmarks, two jailbreak sources
    assert "Normal heart rate?" in md  # harmless examples are shown
