"""The benchmark's scale section: each size's figures side by side, and how much each grew."""

from bench import scale


def run(cases, list_ms, *, quick=False, complete=True):
    """A results file as bench/run.py writes it, with one page measure and one load row."""
    output = {
        "cases": cases,
        "quick": quick,
        "complete": complete,
        "seconds": 100.0,
        "machine": {"load_average_before": [0.5, 0.4, 0.3], "load_average_after": [1.5, 1, 1]},
        "generate_synthetic": {"tables": {"cases_case": {"rows": cases, "write_seconds": 0.1}}},
        "results": {
            "api_case_list": {
                "label": "API case list",
                "queries": 5,
                "app": {"n": 200, "median_ms": list_ms, "p95_ms": list_ms * 1.2},
                "sql": {"n": 200, "median_ms": list_ms / 2, "p95_ms": list_ms},
                "ratio": 2.0,
            },
            "load_public_case_page": {"label": "Public case page", "requests_per_second": 60.0},
            "cache_after_edit": {"monitors_only_edit": {}},
        },
    }
    return output


def test_a_run_keeps_the_sizes_earlier_runs_recorded_and_adds_its_own():
    earlier = run(20000, 20.0)
    earlier["scale"] = scale.merged({}, earlier)

    section = scale.merged(earlier, run(200000, 30.0))

    assert list(section["sizes"]) == ["20000", "200000"]
    assert section["sizes"]["200000"]["measures"]["api_case_list"]["median_ms"] == 30.0
    assert section["sizes"]["20000"]["rows"] == {"cases_case": 20000}


def test_the_growth_table_compares_the_smallest_and_the_largest_size():
    section = scale.merged(run(20000, 20.0), run(200000, 30.0))

    rows = {row["measure"]: row for row in section["growth"]}
    assert rows["api_case_list"]["grew"] == 1.5
    assert rows["api_case_list"]["data_grew"] == 10
    assert rows["load_public_case_page"]["figure"] == "requests_per_second"
    assert "cache_after_edit" not in rows
    assert "200,000 cases (10× the data)" in scale.growth_table(section)


def test_an_earlier_full_run_from_before_the_section_existed_is_carried_in():
    section = scale.merged(run(20000, 20.0), run(200000, 30.0))

    assert set(section["sizes"]) == {"20000", "200000"}


def test_a_quick_or_unfinished_run_adds_no_size():
    section = scale.merged(run(20000, 20.0, complete=False), run(500, 3.0, quick=True))

    assert section == {"sizes": {}, "growth": []}


def test_running_a_size_again_replaces_its_figures():
    first = run(20000, 20.0)
    first["scale"] = scale.merged({}, first)

    section = scale.merged(first, run(20000, 25.0))

    assert section["sizes"]["20000"]["measures"]["api_case_list"]["median_ms"] == 25.0
    assert section["growth"] == []
