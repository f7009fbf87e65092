import pytest

from crosscheck.config import Settings, describe_settings, load_settings
from crosscheck.errors import ConfigError


def test_defaults_when_nothing_given(tmp_path):
    assert load_settings(search_dir=tmp_path) == Settings()


def test_file_then_overrides(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[pairs]\ntop_k = 7\nsimilarity_threshold = 0.4\n")
    settings = load_settings(config, ["pairs.top_k=3", "report.formats=html,json"])
    assert settings.pairs.top_k == 3
    assert settings.pairs.similarity_threshold == 0.4
    assert settings.report.formats == ("html", "json")


def test_crosscheck_toml_in_working_folder_is_picked_up(tmp_path):
    (tmp_path / "crosscheck.toml").write_text("[judge]\nbatch_size = 8\n")
    assert load_settings(search_dir=tmp_path).judge.batch_size == 8


@pytest.mark.parametrize("content, message", [
    ("[pairs]\ntopk = 3\n", "c.toml: unknown key 'pairs.topk' (keys in [pairs]: "
                            "similarity_threshold, top_k, lexical_top_k, lexical_min_shared, "
                            "lexical_max_share, cluster_threshold)"),
    ("[pair]\ntop_k = 3\n", "c.toml: unknown section 'pair'"),
    ("[pairs]\ntop_k = 'three'\n", "c.toml: pairs.top_k must be an integer, got 'three'"),
    ("[pairs]\ntop_k = 2.5\n", "c.toml: pairs.top_k must be an integer, got 2.5"),
    ("[pairs]\ntop_k = 0\n", "c.toml: pairs.top_k must be at least 1, got 0"),
    ("[pairs]\nsimilarity_threshold = 1.5\n",
     "c.toml: pairs.similarity_threshold must be between -1.0 and 1.0, got 1.5"),
    ("[judge]\nnumeric_override = 'yes'\n", "c.toml: judge.numeric_override must be true or false"),
    ("[report]\nformats = ['pdf']\n", "c.toml: report.formats: 'pdf' is not one of html, json, csv"),
    ("top_k = 3\n", "c.toml: 'top_k' must be a [section] table"),
    ("[pairs\n", "c.toml: not valid TOML"),
])
def test_bad_file_values_name_file_and_key(tmp_path, content, message):
    config = tmp_path / "c.toml"
    config.write_text(content)
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert str(error.value).startswith(str(tmp_path / message.split(":")[0]) + ":")
    assert message.split(": ", 1)[1] in str(error.value)


@pytest.mark.parametrize("override, message", [
    ("pairs.top_k=x", "--set: pairs.top_k must be an integer, got 'x'"),
    ("top_k=3", "--set 'top_k=3': expected section.key=value"),
    ("pairs.nope=1", "--set: unknown key 'pairs.nope'"),
    ("judge.contradiction_threshold=-0.1",
     "--set: judge.contradiction_threshold must be between 0.0 and 1.0, got -0.1"),
])
def test_bad_overrides_name_the_key(override, message):
    with pytest.raises(ConfigError) as error:
        load_settings(None, [override])
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_numbers_are_rejected(value):
    with pytest.raises(ConfigError, match="pairs.similarity_threshold must be a finite number"):
        load_settings(None, [f"pairs.similarity_threshold={value}"])


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "absent.toml")


def test_every_setting_has_help():
    rows = describe_settings()
    assert len(rows) > 20
    assert all(help_text for _, _, help_text in rows)


def test_settings_round_trip_to_plain_data():
    data = Settings().to_dict()
    assert data["pairs"]["top_k"] == 12
    assert data["report"]["formats"] == ["html", "json", "csv"]
