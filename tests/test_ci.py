"""The GitHub workflows test exactly as CI does (`.ci/run`), and nothing is published that did not pass."""

from __future__ import annotations

import subprocess

import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def _steps(job: dict) -> list[str]:
    return [str(step.get("run", "")) for step in job["steps"]]


def test_the_pull_request_and_publish_workflows_run_the_ci_script() -> None:
    for name in ("pull-request.yml", "publish.yml"):
        jobs = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))["jobs"]
        assert any("bash .ci/run" in run for job in jobs.values() for run in _steps(job)), name


def test_the_site_is_deployed_only_after_the_tests_pass() -> None:
    jobs = yaml.safe_load((WORKFLOWS / "publish.yml").read_text(encoding="utf-8"))["jobs"]
    build = _steps(jobs["build"])
    tested = next(i for i, run in enumerate(build) if "bash .ci/run" in run)
    built = next(i for i, run in enumerate(build) if "make build" in run)
    assert tested < built
    assert jobs["deploy"]["needs"] == "build"


def test_the_ci_script_is_valid_bash_and_knows_ubuntu() -> None:
    subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], check=True)
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "google-chrome" in text and "playwright install chromium" in text


def test_the_kit_is_released_on_a_tag_only_after_the_tests_pass_with_its_checksums() -> None:
    workflow = yaml.safe_load((WORKFLOWS / "release.yml").read_text(encoding="utf-8"))
    assert workflow[True]["push"]["tags"] == ["v*"]  # (YAML reads the key `on` as true)
    steps = _steps(workflow["jobs"]["kit"])
    tested = next(i for i, run in enumerate(steps) if "bash .ci/run" in run)
    built = next(i for i, run in enumerate(steps) if "make offline" in run)
    attached = next(i for i, run in enumerate(steps) if "gh release upload" in run)
    assert tested < built < attached
    assert "sha256sum -c SHA256SUMS" in steps[built]


def test_no_workflow_puts_an_expression_into_a_shell_script() -> None:
    """`${{ }}` in a `run:` is pasted into the script before it runs: a tag or input could run code. Values reach
    scripts through `env:` instead."""
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
            assert not [run for run in _steps(job) if "${{" in run], path.name


def test_the_ci_script_installs_the_kits_checkers() -> None:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert all(package in text for package in ("zim-tools", "kiwix-tools", "epubcheck", "minisign"))
