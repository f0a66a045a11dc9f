"""The scale section of bench/results.json: every measure at each size run, side by side.

Each full run (not ``--quick``) records its own size under ``scale`` and keeps the sizes earlier
runs recorded, so ``make bench`` followed by ``make bench BENCH_CASES=200000`` leaves both in the
file, with a growth table: how much each measure grew while the data grew tenfold.
"""

import datetime


def snapshot(output):
    """What a run measured, per measure: the figures a growth table compares."""
    measures = {}
    for key, x in output["results"].items():
        if not isinstance(x, dict):
            continue
        if "app" in x:
            measures[key] = {
                "label": x["label"],
                "median_ms": x["app"]["median_ms"],
                "n": x["app"]["n"],
                "queries": x.get("queries"),
                "sql_ms": x["sql"]["median_ms"] if x.get("sql") else None,
                "ratio": x.get("ratio"),
            }
        elif "requests_per_second" in x:
            measures[key] = {"label": x["label"], "requests_per_second": x["requests_per_second"]}
    machine = output.get("machine", {})
    return {
        "cases": output["cases"],
        "measured_on": datetime.date.today().isoformat(),
        "seconds": output.get("seconds"),
        "rows": {
            table: figures["rows"]
            for table, figures in (output.get("generate_synthetic") or {}).get("tables", {}).items()
        },
        "database_bytes": output.get("database_bytes"),
        "load_average_before": machine.get("load_average_before"),
        "load_average_after": machine.get("load_average_after"),
        "measures": measures,
    }


def merged(previous, output):
    """The scale section: ``previous`` file's sizes (its own run included, if it was a full run
    of another size, from before the section existed) and this run's."""
    sizes = dict((previous or {}).get("scale", {}).get("sizes", {}))
    if previous and not previous.get("quick") and previous.get("complete"):
        sizes.setdefault(str(previous["cases"]), snapshot(previous))
    if not output.get("quick"):
        sizes[str(output["cases"])] = snapshot(output)
    ordered = dict(sorted(sizes.items(), key=lambda item: int(item[0])))
    return {"sizes": ordered, "growth": growth(ordered)}


def growth(sizes):
    """Per measure, its median at the smallest and the largest size and how many times it grew
    (for throughput rows, requests per second), beside how many times the data grew."""
    if len(sizes) < 2:
        return []
    small, large = sizes[min(sizes, key=int)], sizes[max(sizes, key=int)]
    data_factor = large["cases"] / small["cases"]
    rows = []
    for key, before in small["measures"].items():
        after = large["measures"].get(key)
        if after is None:
            continue
        figure = "median_ms" if "median_ms" in before else "requests_per_second"
        row = {
            "measure": key,
            "label": before["label"],
            "figure": figure,
            "small": before[figure],
            "large": after[figure],
            "grew": round(after[figure] / before[figure], 2) if before[figure] else None,
            "data_grew": round(data_factor, 2),
        }
        if figure == "median_ms":
            row["ratio_small"], row["ratio_large"] = before.get("ratio"), after.get("ratio")
        rows.append(row)
    return rows


def growth_table(scale):
    """The growth rows as text, for the end of a run."""
    sizes = scale["sizes"]
    if len(sizes) < 2:
        return ""
    small, large = min(sizes, key=int), max(sizes, key=int)
    lines = [
        f"Growth from {int(small):,} to {int(large):,} cases "
        f"({int(large) / int(small):.0f}× the data):",
        f"{'measure':<52} {small + ' cases':>14} {large + ' cases':>15} {'grew':>7}",
    ]
    for row in scale["growth"]:
        unit = " ms" if row["figure"] == "median_ms" else " r/s"
        grew = f"{row['grew']:.2f}×" if row["grew"] is not None else "-"
        lines.append(
            f"{row['label'][:52]:<52} {row['small']:>11.1f}{unit} {row['large']:>12.1f}{unit} "
            f"{grew:>7}"
        )
    return "\n".join(lines)
