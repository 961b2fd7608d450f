"""The import contracts in .importlinter: views -> services -> models in every feature,
pure analysis code, an outbox that knows no feature, no import cycle between feedback's
packages, and results in layers (readers -> access -> releases -> build -> counts, a pure
build, no jobs)."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept(capsys):
    code = lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True, no_logo=True)
    output = capsys.readouterr().out
    assert code == 0, output
    assert "8 kept, 0 broken" in output


def test_a_broken_contract_is_reported(tmp_path, capsys):
    """The check can fail: surveys' views do use surveys' services, so forbidding it breaks."""
    config = tmp_path / "contracts.ini"
    config.write_text(
        "[importlinter]\nroot_package = feedback\n\n"
        "[importlinter:contract:probe]\nname = probe\ntype = forbidden\n"
        "source_modules =\n    feedback.surveys.views\nforbidden_modules =\n    feedback.surveys.services\n"
    )
    code = lint_imports(config_filename=str(config), no_cache=True, no_logo=True)
    assert code != 0 and "BROKEN" in capsys.readouterr().out


def test_results_reaching_down_past_a_layer_is_reported(tmp_path, capsys):
    """The results layers can fail: releases use the build, so putting the build above
    releases breaks the contract."""
    config = tmp_path / "contracts.ini"
    config.write_text(
        "[importlinter]\nroot_package = feedback\n\n"
        "[importlinter:contract:probe]\nname = probe\ntype = layers\n"
        "layers =\n    feedback.results.build\n    feedback.results.releases\n"
    )
    code = lint_imports(config_filename=str(config), no_cache=True, no_logo=True)
    assert code != 0 and "BROKEN" in capsys.readouterr().out
