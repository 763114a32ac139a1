"""Install and test commands as the repository states them (file:line), or composed and said so."""

from __future__ import annotations

from generator.analysis.community.onboarding import Command, script, setup_and_test_commands

DEEPSEEK_README = """\
# DeepSeek

```shell
git clone https://github.com/deepseek-ai/DeepSeek-V3.git
```

```shell
cd DeepSeek-V3/inference
pip install -r requirements.txt
```
"""


def test_a_readme_cd_into_a_folder_gives_the_folder_and_the_line() -> None:
    paths = {"README.md", "inference/requirements.txt", "inference/generate.py"}
    setup, tests = setup_and_test_commands({"README.md": DEEPSEEK_README}, paths, ["DeepSeek-V3"])
    assert setup == [Command("pip install -r requirements.txt", "README.md:9", "inference",
                             "README.md:8: cd DeepSeek-V3/inference")]
    assert script(setup) == "cd inference\npip install -r requirements.txt"
    assert tests == []


def test_requirements_in_a_folder_the_readme_installs_and_other_projects_left_out() -> None:
    readme = ("```bash\npip install -r requirements/requirements.txt\npip install vllm\n"
              "git clone https://github.com/Dao-AILab/flash-attention\ncd flash-attention && pip install .\n```\n"
              "Run `pip install -r requirements/missing.txt` first.\n")
    paths = {"README.md", "requirements/requirements.txt", "setup.py"}
    setup, _ = setup_and_test_commands({"README.md": readme}, paths, ["gpt-neox"])
    mistral = "```\ncd $HOME && git clone https://github.com/mistralai/mistral-inference\n" \
              "cd $HOME/mistral-inference && poetry install .\n```\n"
    assert [(c.command, c.source) for c in setup_and_test_commands({"README.md": mistral}, {"pyproject.toml"},
                                                                   ["mistralai+mistral-inference",
                                                                    "mistral-inference"])[0]] \
        == [("poetry install .", "README.md:3")]
    assert [(c.command, c.source, c.folder) for c in setup] == [
        ("pip install -r requirements/requirements.txt", "README.md:2", "")]


def test_ci_run_blocks_give_test_commands_not_installs_of_pytest() -> None:
    workflow = ("on: push\njobs:\n  t:\n    steps:\n      - name: install pytest\n"
                "        run: python3 -m pip install pytest pytest-forked\n"
                "      - run: |\n          pip install -r requirements/requirements.txt\n"
                "          pytest --forked tests\n")
    setup, tests = setup_and_test_commands({".github/workflows/ci.yml": workflow},
                                           {"requirements/requirements.txt", ".github/workflows/ci.yml"})
    assert [(c.command, c.source) for c in setup] == [
        ("pip install -r requirements/requirements.txt", ".github/workflows/ci.yml:8")]
    assert [(c.command, c.source) for c in tests] == [("pytest --forked tests", ".github/workflows/ci.yml:9")]
    guide = "```\ncd tests/model\npytest run_sanity_check.py\npytest test_a.py::test_x\n```\n"
    _, stated = setup_and_test_commands({"CONTRIBUTING.md": guide}, {"tests/model/test_a.py"})
    assert [(c.command, c.folder) for c in stated] == [("pytest test_a.py::test_x", "tests/model")]  # no gone file


def test_contributing_comes_before_the_readme_and_a_composed_command_says_so() -> None:
    texts = {".github/CONTRIBUTING.md": "```bash\npip install -e \".[dev]\"\n```\n\n```bash\nmake test\n```\n",
             "README.md": "```\npip install -e .\n```\n", "Makefile": "test:\n\tpytest\n",
             "pyproject.toml": '[project]\nname = "x"\n'}
    setup, tests = setup_and_test_commands(texts, {*texts, "src/x.py"})
    assert [(c.command, c.source) for c in setup] == [('pip install -e ".[dev]"', ".github/CONTRIBUTING.md:2")]
    assert [(c.command, c.source) for c in tests] == [("make test", ".github/CONTRIBUTING.md:6")]
    composed, nothing = setup_and_test_commands({"pyproject.toml": texts["pyproject.toml"]},
                                                {"pyproject.toml", "tests/test_x.py"})
    assert composed == [Command("pip install -e .", "pyproject.toml", composed=True)]
    assert nothing == []  # a tests/ folder alone states no command
    _, pytest = setup_and_test_commands({"pyproject.toml": "[tool.pytest.ini_options]\n"}, {"pyproject.toml"})
    assert pytest == [Command("python -m pytest", "pyproject.toml", composed=True)]
