"""One table for all benchmark results, in Markdown so it can go straight into the README."""

import datetime as dt


def row(name, value, target, ok, detail=""):
    """ok is None for a row reported for information, without a target."""
    shown = f"{value:.2f}" if isinstance(value, float) else str(value)
    return {"name": name, "value": shown, "target": target, "ok": ok, "detail": detail}


def table(rows, machine: str) -> str:
    lines = [
        f"Measured {dt.date.today().isoformat()} on {machine}.",
        "",
        "| measurement | result | target | met | detail |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        met = "—" if r["ok"] is None else "yes" if r["ok"] else "NO"
        lines.append(f"| {r['name']} | {r['value']} | {r['target']} | {met} | {r['detail']} |")
    return "\n".join(lines)
