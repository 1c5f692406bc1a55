"""One table for all benchmark results, in Markdown so it can go straight into the README."""

import datetime as dt


def row(name, value, target, ok, detail=""):
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
        lines.append(f"| {r['name']} | {r['value']} | {r['target']} | {'yes' if r['ok'] else 'NO'} | {r['detail']} |")
    return "\n".join(lines)
