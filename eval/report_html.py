"""The self-contained HTML version of an evaluation report (eval.report builds it): summary,
per-kind charts, latency distribution, the questions side by side, the regressions in red."""
from __future__ import annotations

import datetime
import re
from html import escape

from eval.charts import PALETTE, box_strip, grouped_bars
from eval.metrics import METRIC_NOTES
from eval.report import Report, Run, cited, is_regression, verdicts


STYLE = """
body{font-family:sans-serif;margin:2em;max-width:1400px;color:#222}
table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.better{color:#2e7d32}.worse{color:#c62828;font-weight:bold}
tr.regression td{background:#fde8e8}tr.regression td:first-child{border-left:4px solid #c62828}
.flag{color:#c62828;font-weight:bold}.fixed{color:#2e7d32}
.cite{font-size:90%;color:#555;margin:2px 0}.verdict{font-size:90%;margin-top:4px}.turn{margin-bottom:6px}
"""


def _inline(text: str) -> str:
    """The little Markdown of METRIC_NOTES (**bold**, *italics*, `code`, bullets) as HTML."""
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
    text = re.sub(r"`(.+?)`", r"<code>\1</code>", text)
    items = re.split(r"\n- ", "\n" + text.strip())[1:]
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _html_table(header: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    """A table of plain-text cells (escaped here), right-aligned from column numeric_from."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td{' class=num' if i >= numeric_from else ''}>{escape(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _html_summary(report: Report) -> str:
    runs = report.runs
    header = "<tr><th>metric</th>" + "".join(f"<th>{escape(r.label)}</th>" for r in runs)
    header += f"<th>Δ {escape(runs[0].label)} − {escape(runs[1].label)}</th>" if report.two else ""
    rows = [f"<tr><td>{escape(label)}</td>" + "".join(f'<td class="num">{v}</td>' for v in values)
            + (f'<td class="num {sense}">{d}</td>' if report.two else "") + "</tr>"
            for label, values, (d, sense) in report.summary_rows()]
    return f"<h2>Summary</h2><table>{header}</tr>{''.join(rows)}</table>"


def _html_charts(report: Report) -> str:
    kinds = list(dict.fromkeys(k for r in report.runs for k in r.by_kind)) + ["all"]
    bars, dots = [], []
    for r, (dark, light) in zip(report.runs, PALETTE):
        per_kind = {**r.by_kind, "all": r.summary}
        bars += [(f"{r.label} accuracy", dark, [per_kind.get(k, {}).get("accuracy") for k in kinds]),
                 (f"{r.label} citation hit", light, [per_kind.get(k, {}).get("citation_hit") for k in kinds])]
        dots += [(f"{r.label} · first token", light, [v for s in r.scores.values() for v in s["first_token_s"]]),
                 (f"{r.label} · total", dark, [v for s in r.scores.values() for v in s["total_s"]])]
    return ("<h2>Per kind</h2>" + grouped_bars(kinds, bars, "accuracy and citation hit per kind")
            + _html_table(report.kind_header(), report.kind_rows())
            + "<h2>Latency per turn</h2>" + box_strip(dots, "s", "latency per turn, seconds")
            + "<p>Each dot is one turn; the box spans the first to the third quartile, the thick bar is "
              "the median.</p>")


def _html_run_cell(run: Run, qid: str) -> str:
    parts = []
    for t in run.results.get(qid, {}).get("turns", []):
        cites = "".join(f'<div class="cite">{escape(c)}</div>' for c in cited(t))
        parts.append(f'<div class="turn">{escape(t["answer"])}{cites}</div>')
    verdict = " · ".join(verdicts(run.scores[qid], qid not in run.results))
    return "".join(parts) + f'<div class="verdict">{escape(verdict)}</div>'


def _html_questions(report: Report) -> str:
    runs, two = report.runs, report.two
    out = ["<h2>Questions</h2><table id='questions'><tr><th>id</th><th>kind</th><th>question</th>"
           + "".join(f"<th>{escape(r.label)}</th>" for r in runs) + ("<th>changes</th>" if two else "") + "</tr>"]
    for q in report.questions:
        qid, changes = q["id"], report.changes[q["id"]]
        question = "".join(f"<div class='turn'>{escape(t['q'])}</div>" for t in q["turns"])
        change = "".join(f"<div class='{'fixed' if c.startswith('fixed') else 'flag'}'>{escape(c)}</div>"
                         for c in changes)
        row_class = ' class="regression"' if is_regression(changes) else ""
        out.append(f'<tr id="q-{escape(qid)}"{row_class}><td>{escape(qid)}</td>'
                   f"<td>{escape(q.get('kind', ''))}</td><td>{question}</td>"
                   + "".join(f"<td>{_html_run_cell(r, qid)}</td>" for r in runs)
                   + (f"<td>{change}</td>" if two else "") + "</tr>")
    return "".join(out) + "</table>"


def html(report: Report) -> str:
    runs = report.runs
    out = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(report.title)}</title>"
           f"<style>{STYLE}</style></head><body><h1>{escape(report.title)}</h1>"
           f"<p>{len(report.questions)} questions; "
           + "; ".join(f"<b>{escape(r.label)}</b>: <code>{escape(str(r.path))}</code>" for r in runs)
           + f"; {datetime.date.today().isoformat()}.</p>"]
    out += [f"<p class='flag'>{escape(note)}</p>" for r in runs for note in r.notes()]
    out += [_html_summary(report), _html_charts(report)]
    if report.two:
        bad = report.regressions()
        items = "".join(f"<li class='flag'>{escape(i)}: {escape('; '.join(c))}</li>" for i, c in bad)
        out.append(f"<h2>Regressions ({len(bad)}) of {escape(runs[0].label)} against {escape(runs[1].label)}</h2>"
                   + (f"<ul>{items}</ul>" if bad else "<p>None.</p>"))
    out += [_html_questions(report), "<h2>How the metrics are computed</h2>" + _inline(METRIC_NOTES)]
    return "\n".join(out) + "</body></html>"
