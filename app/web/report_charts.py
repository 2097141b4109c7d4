"""The reports' charts, from the metrics: what each one shows, in the reader's words.

Shared by ``/reports``, ``/public/dashboard`` and the annual PDF, so the three
show the same figures. Drawing is ``app.charts``; the figures are
``app.operations.metrics``.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, format_percent, gettext

from app.charts import Bar, Chart
from app.web import labels
from workflows import questionnaire
from workflows.screening import FORM_TITLES, FormName
from workflows.statement import STATES

CHOICE_CHARTS = ("score_goals", "inequity_levels", "engagement_levels")


def _choice_label(key: str, value: str) -> str:
    try:
        return gettext(questionnaire.form(FormName.FULL).section(key).label(value))
    except KeyError:
        return value


def _percent(part: int, whole: int) -> str:
    return format_percent(part / whole) if whole else "—"


def _count_bars(counts: dict[str, int], label) -> list[Bar]:
    return [Bar(label(k), v, str(v)) for k, v in counts.items()]


def _months(m: dict) -> Chart:
    bars = []
    for month, forms in m["statements"]["by_month"].items():
        year, number = (int(x) for x in month.split("-"))
        shown = ", ".join(f"{gettext(FORM_TITLES[FormName(f)])}: {n}" for f, n in forms.items())
        total = sum(forms.values())
        bars.append(Bar(format_date(date(year, number, 1), "MMMM y"), total, shown, str(total)))
    return Chart("by_month", gettext("Statements by month and form"),
                 gettext("The statements of the items created each month, by form."), gettext("Month"),
                 gettext("Statements"), bars, gettext("No statement in this period."))


def _stages(m: dict) -> Chart:
    names = {"department_review": labels.state("department_review"),
             "ode_review": labels.state("ode_review"),
             "submit_to_ready": gettext("From submission to ready")}
    bars = []
    for key, name in names.items():
        c = m["cycle_business_days"][key]
        shown = (gettext("median %(median)s, 90th percentile %(p90)s (%(n)d passes)",
                         median=c["median"], p90=c["p90"], n=c["n"]) if c["n"] else "—")
        bars.append(Bar(name, c["median"] or 0, shown, "—" if c["median"] is None else str(c["median"])))
    return Chart("stages", gettext("Time in each stage"),
                 gettext("Median business days in each step of review; holidays and weekends not counted."),
                 gettext("Stage"), gettext("Business days"), bars,
                 gettext("No review step has finished yet."))


def _returned(m: dict) -> Chart:
    bars = [Bar(d["department"], d["returned"] / d["total"] if d["total"] else 0,
                gettext("%(returned)d of %(total)d (%(share)s)", returned=d["returned"], total=d["total"],
                        share=_percent(d["returned"], d["total"])), _percent(d["returned"], d["total"]))
            for d in m["by_department"]]
    return Chart("returned", gettext("Returned at least once, by department"),
                 gettext("The share of each department's statements that a reviewer sent back for changes."),
                 gettext("Department"), gettext("Returned"), bars, gettext("No statement was returned."))


def _on_time(m: dict) -> Chart:
    whole = m["on_time"] + m["late"]
    bars = [Bar(gettext("Ready by the cutoff"), m["on_time"],
                f'{m["on_time"]} ({_percent(m["on_time"], whole)})'),
            Bar(gettext("Late"), m["late"], f'{m["late"]} ({_percent(m["late"], whole)})')]
    return Chart("on_time", gettext("On time for the meeting"),
                 gettext("Statements whose meeting's cutoff has passed: ready to agendize by the cutoff, "
                         "or late."), gettext("Outcome"), gettext("Statements"), bars,
                 gettext("No meeting's cutoff has passed yet."))


def _report_backs(m: dict) -> Chart:
    rb = m["report_backs"]
    pending = rb["due"] - rb["reported"] - rb["overdue"]
    bars = [Bar(labels.report_back_status("reported"), rb["reported"], str(rb["reported"])),
            Bar(labels.report_back_status("pending"), pending, str(pending)),
            Bar(labels.report_back_status("overdue"), rb["overdue"], str(rb["overdue"]))]
    return Chart("report_backs", gettext("Report-backs"),
                 gettext("The success indicators departments owe since their items were agendized."),
                 gettext("Status"), gettext("Report-backs"), bars, gettext("No report-back is owed yet."))


def charts(m: dict) -> list[Chart]:
    """Every chart of the reports, in the order a committee reads them."""
    choice_titles = {"score_goals": gettext("SCORE goals advanced"),
                     "inequity_levels": gettext("Levels of inequity addressed"),
                     "engagement_levels": gettext("Levels of community engagement (IAP2)")}
    found = [
        Chart("by_state", gettext("Statements by state"),
              gettext("Where the statements of the period's items stand today."), gettext("State"),
              gettext("Statements"), _count_bars({str(s): m["statements"]["by_state"].get(str(s), 0)
                                                  for s in STATES}, labels.state),
              gettext("No statement in this period.")),
        _months(m),
        Chart("by_form", gettext("Statements by form"),
              gettext("Full statements, short forms and exemption requests."), gettext("Form"),
              gettext("Statements"), _count_bars(m["statements"]["by_form"],
                                                 lambda f: gettext(FORM_TITLES[FormName(f)])),
              gettext("No statement in this period.")),
        _stages(m), _returned(m), _on_time(m),
    ]
    for key in CHOICE_CHARTS:
        found.append(Chart(key, choice_titles[key],
                           gettext("How many submitted statements ticked each choice."), gettext("Choice"),
                           gettext("Statements"), _count_bars(m[key], lambda v, k=key: _choice_label(k, v)),
                           gettext("No submitted statement in this period.")))
    found.append(_report_backs(m))
    return found
