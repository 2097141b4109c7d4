"""Version 2 of the questions: three forms (full, short, exemption) and honest answers.

What changed from version 1 (``workflows.questions_v1``), and why:

* every form starts with a plain-language ``summary`` for the public (at most
  800 characters): residents read it first, on the public page and the packet;
* ``score_goals``, ``inequity_levels`` and ``engagement_levels`` offer an
  explicit "none" (on its own), and every ticked goal or level, "none"
  included, asks *how* (or why not) in a short text: a tick is a claim the
  reviewer can now read;
* each engagement standard ticked asks for its evidence (languages offered,
  accommodations, timing, compensation paid), and the number of participants
  is asked;
* ``accountability`` holds structured success indicators (name, baseline,
  target, due date: at least one), which become report-backs once the item
  is agendized; how results are reported is its own section, ``reporting_back``;
* the ``short`` form (screening all "no") and the ``exemption`` request.
"""

from __future__ import annotations

from dataclasses import replace

from workflows import questions_v1 as v1
from workflows.i18n import N_
from workflows.screening import CATEGORIES, FORM_TITLES, FormName
from workflows.sections import (
    KIND_CHOICE,
    KIND_EXPLANATIONS,
    KIND_INDICATORS,
    KIND_NUMBER,
    KIND_TEXT,
    NONE,
    Choice,
    Form,
    Section,
)

SUMMARY_LENGTH = 800

SUMMARY = Section(
    "summary", N_("Summary for the public"),
    N_("In plain language, what does this item do, and for whom?"),
    N_("Two or three short sentences a resident can read on the City's website without knowing how City "
       "Hall works: what changes, who it is for, and from when. Avoid jargon and acronyms. At most 800 "
       "characters."),
    True, KIND_TEXT, max_length=SUMMARY_LENGTH,
    example=N_("Renters whose water bill is part of their rent cannot get the City's utility discount today. "
               "This item lets them apply from January 2027. The discount is paid from the Utilities' "
               "assistance fund, not by raising other people's bills."),
)


def _with_none(section: Section, label: str, guidance: str, example: list[str]) -> Section:
    return replace(section, choices=(*section.choices, Choice(NONE, label, exclusive=True)),
                   guidance=guidance, example=example)


def _how(key: str, of: Section, title: str, prompt: str, guidance: str, none_label: str,
         example: dict[str, str]) -> Section:
    """The short "how" (or "why not") owed for every choice ticked in ``of``."""
    labels = tuple(Choice(c.value, none_label if c.value == NONE else c.label) for c in of.choices)
    return Section(key, title, prompt, guidance, True, KIND_EXPLANATIONS, labels, example=example,
                   explains=of.key)


SCORE_GOALS = _with_none(
    v1.SCORE_GOALS_V1, N_("None of the SCORE goals"),
    N_("Tick every goal the proposal moves forward in a way you can point to; the next section asks how, "
       "goal by goal. Ticking a goal is a claim a reviewer will test against the rest of the statement, so "
       "prefer two well-supported goals to four loose ones. If the proposal advances none, tick \"None\" "
       "and say why: that is an honest answer, and better than a loose tick."),
    ["structural_equity_alignment", "equitable_city_community_partnership"],
)
SCORE_GOALS_HOW = _how(
    "score_goals_how", SCORE_GOALS, N_("How it advances each goal"),
    N_("For each goal you ticked, how does the proposal advance it?"),
    N_("One or two sentences per goal, pointing to what the proposal actually does. If you ticked \"None\", "
       "say why none of the goals applies."),
    N_("None: why not"),
    {"structural_equity_alignment": N_("It removes a City rule that keeps renters, who are more often Black "
                                       "and Latino, out of a benefit homeowners already have."),
     "equitable_city_community_partnership": N_("Tenant organizations shaped the application and are paid "
                                                 "to help their members enroll.")},
)
INEQUITY_LEVELS = _with_none(
    v1.INEQUITY_LEVELS_V1, N_("None of these levels"),
    N_("Structural means long-standing systems across housing, wealth, health and the like; institutional "
       "means City policies, budgets, procedures and who takes part in decisions; interpersonal means "
       "day-to-day dealings between staff and residents; individual means personal beliefs and bias. Tick "
       "the levels the proposal actually changes, not only those it mentions; the next section asks how. "
       "If it changes none, tick \"None\" and say why."),
    ["institutional"],
)
INEQUITY_LEVELS_HOW = _how(
    "inequity_levels_how", INEQUITY_LEVELS, N_("How it acts at each level"),
    N_("For each level you ticked, what does the proposal change at that level?"),
    N_("Name the policy, practice, system or relationship that changes. If you ticked \"None\", say why the "
       "proposal changes no level of inequity."),
    N_("None: why not"),
    {"institutional": N_("It changes who may apply for a City discount and how: the eligibility rule and "
                         "the application form.")},
)
ENGAGEMENT_LEVELS = _with_none(
    v1.ENGAGEMENT_LEVELS_V1, N_("None: no community engagement"),
    N_("Tick only the levels actually used: informing people is not consulting them, and consulting is not "
       "sharing the decision. A proposal that shapes a community's daily life should normally reach at "
       "least involve; the next section asks what was done at each level. If there was no engagement, tick "
       "\"None\" and say why."),
    ["inform", "consult"],
)
ENGAGEMENT_LEVELS_HOW = _how(
    "engagement_levels_how", ENGAGEMENT_LEVELS, N_("What was done at each level"),
    N_("For each level you ticked, what was done, with whom and when?"),
    N_("One or two sentences per level: the meetings, surveys, workshops or shared decisions, and who took "
       "part. If you ticked \"None\", say why nobody was engaged and whether anyone should have been."),
    N_("None: why not"),
    {"inform": N_("A mailer and a web page in English, Spanish, Hmong and Vietnamese explained the "
                  "proposal to the 4,000 renter households on our outreach list."),
     "consult": N_("Two listening sessions asked tenants what would stop them applying; their answers "
                   "changed the application.")},
)
ENGAGEMENT_EVIDENCE = Section(
    "engagement_evidence", N_("Evidence for each standard met"),
    N_("For each engagement standard you ticked, what shows it was met?"),
    N_("Language access: the languages of the materials and of the interpretation offered. Accessibility: "
       "the accommodations provided. Timing: when and where, and how early in the decision. Compensation: "
       "what was paid, and to whom."),
    False, KIND_EXPLANATIONS, (
        Choice("language_access", N_("Languages offered")),
        Choice("accessibility", N_("Accommodations provided")),
        Choice("timing", N_("When, where, and how early")),
        Choice("compensation", N_("Compensation paid")),
    ),
    explains="engagement_standards",
    example={"language_access": N_("Materials in English, Spanish, Hmong and Vietnamese; Spanish and Hmong "
                                   "interpretation at both sessions."),
             "timing": N_("Weekday evenings in March 2026, in District 2 and 5 community centers, six "
                          "months before the rule is final.")},
)
ENGAGEMENT_PARTICIPANTS = Section(
    "engagement_participants", N_("Number of participants"),
    N_("How many community members took part in the engagement?"),
    N_("Count the people who took part in meetings, interviews, surveys or workshops (not those who only "
       "received information). Leave it empty only if no count was kept, and say so under community "
       "engagement."),
    False, KIND_NUMBER, example=64,
)
ACCOUNTABILITY = Section(
    "accountability", N_("Success indicators"),
    N_("How will you know whether the proposal worked? Give each indicator a baseline, a target and a date."),
    N_("Name one to five indicators, disaggregated by race where possible, with at least one about the "
       "quality of engagement. The baseline is where things stand today (say \"not measured yet\" if that "
       "is the truth); the target is where they should be by the due date. When the item is agendized, each "
       "indicator becomes a report-back your department owes on its due date."),
    True, KIND_INDICATORS,
    example=[{"name": N_("Renter households enrolled in the discount"),
              "baseline": N_("None: renters could not apply"), "target": N_("3,000 households"),
              "due": "2027-12-31"},
             {"name": N_("Applications made in a language other than English"),
              "baseline": N_("Not measured yet"), "target": N_("One in four applications"),
              "due": "2027-12-31"}],
)
REPORTING_BACK = Section(
    "reporting_back", N_("Reporting back"),
    N_("Who tracks the indicators, how often, and how will results be reported to Council and to the people "
       "who were engaged?"),
    N_("Name the division that tracks them and how often; where results are published or presented (the "
       "Racial Equity Committee, Council, a public dashboard); and how you will report back to the "
       "communities and organizations that took part."),
    True, KIND_TEXT,
    example=N_("Customer Service tracks enrollment monthly. Each December the department reports the "
               "indicators, by district and language, to the Racial Equity Committee, and sends the same "
               "summary to the tenant organizations that took part."),
)

FULL = Form(FormName.FULL, FORM_TITLES[FormName.FULL], N_(
    "The whole statement, for anything that changes services, spending, rules, land use or staffing, or "
    "affects particular communities."), (
    SUMMARY, v1.PROPOSAL, SCORE_GOALS, SCORE_GOALS_HOW, v1.IMPACT_AREAS_SECTION, v1.COMMUNITIES_AFFECTED,
    v1.DISPARITIES_DATA, INEQUITY_LEVELS, INEQUITY_LEVELS_HOW, v1.ROOT_CAUSES, v1.COMMUNITY_ENGAGEMENT,
    ENGAGEMENT_LEVELS, ENGAGEMENT_LEVELS_HOW, v1.ENGAGEMENT_STANDARDS_SECTION, ENGAGEMENT_EVIDENCE,
    ENGAGEMENT_PARTICIPANTS, v1.BENEFITS_AND_BURDENS, v1.ADVERSE_IMPACTS, v1.STRATEGIES, v1.IMPLEMENTATION,
    ACCOUNTABILITY, REPORTING_BACK, v1.SUSTAINABILITY,
))

SHORT_ENGAGEMENT = replace(
    v1.COMMUNITY_ENGAGEMENT,
    prompt=N_("Who among the people affected was told or asked about this item, in which languages, and what "
              "did they say?"),
    guidance=N_("Even a narrow item reaches someone. Say who was informed or consulted and how, in which "
                "languages and formats (language access), and what they said. If nobody was, say why that "
                "is reasonable for this item."),
    example=N_("The two tenant organizations that shaped the program were sent the renewal in English and "
               "Spanish; neither asked for changes."),
)
SHORT_REASON = Section(
    "short_form_reason", N_("Why the short form is enough"),
    N_("Why does this item need no more than the short form?"),
    N_("Say what the item does not change (services, spending, rules, land use, staffing, particular places "
       "or groups). If it continues earlier work, give the file ID of the full statement that covered it."),
    True, KIND_TEXT,
    example=N_("The item renews the program's outreach agreement for one more year on the same terms and at "
               "no cost; the full statement for the program was approved with file 2026-01101."),
)
SHORT = Form(FormName.SHORT, FORM_TITLES[FormName.SHORT], N_(
    "A shorter statement for narrow items: allowed when every screening answer is no."), (
    SUMMARY, v1.PROPOSAL, v1.IMPACT_AREAS_SECTION, v1.COMMUNITIES_AFFECTED, SHORT_ENGAGEMENT,
    ENGAGEMENT_LEVELS, ENGAGEMENT_LEVELS_HOW, v1.BENEFITS_AND_BURDENS,
    replace(ACCOUNTABILITY, required=False), SHORT_REASON,
))

EXEMPTION_CATEGORY = Section(
    "exemption_category", N_("Exemption category"),
    N_("Which kind of item is this?"),
    N_("Exemptions are for items that need no statement: ceremonial items, minutes and procedural items, "
       "appointments, and receipt of reports. Choose \"Other\" only with a reason that says why."),
    True, KIND_CHOICE, tuple(Choice(c.key, c.label) for c in CATEGORIES), example="ceremonial",
)
EXEMPTION_REASON = Section(
    "exemption_reason", N_("Reason"),
    N_("Why does this item need no racial equity statement?"),
    N_("Say what the item does and what it does not change. The Office of Diversity & Equity approves or "
       "returns the request; if it asks for a statement, switch to the full form."),
    True, KIND_TEXT, max_length=2_000,
    example=N_("A proclamation honouring the City's water treatment staff: it changes no service, spending, "
               "rule or place."),
)
EXEMPTION = Form(FormName.EXEMPTION, FORM_TITLES[FormName.EXEMPTION], N_(
    "A request, approved by the Office of Diversity & Equity, that an item needs no statement."), (
    replace(SUMMARY, example=N_("The Council proclaims May 2027 Water Professionals Month, honouring the "
                                "people who keep the City's water safe.")),
    EXEMPTION_CATEGORY, EXEMPTION_REASON,
))

_S, _I, _P, _L = (c.value for c in v1.SCORE_GOALS)
# Which toolkit steps/questions and SCORE goals each section serves, form by form
# (docs/QUESTIONS.md shows the same tables; a unit test keeps them in step).
_NEW = {
    "summary": {"gare": [1, 6], "race_forward": [5], "score": [_P]},
    "score_goals_how": {"gare": [1], "race_forward": [5], "score": [_S, _I, _P, _L]},
    "inequity_levels_how": {"gare": [4], "race_forward": [4], "score": [_S, _I, _P, _L]},
    "engagement_levels_how": {"gare": [3], "race_forward": [2], "score": [_I, _P]},
    "engagement_evidence": {"gare": [3], "race_forward": [2], "score": [_P]},
    "engagement_participants": {"gare": [3], "race_forward": [2, 10], "score": [_P]},
    "accountability": {"gare": [6], "race_forward": [10], "score": [_I, _L]},
    "reporting_back": {"gare": [6], "race_forward": [9, 10], "score": [_I, _P]},
    "short_form_reason": {"gare": [1], "race_forward": [5], "score": [_I]},
    "exemption_category": {"gare": [1], "race_forward": [5], "score": [_I]},
    "exemption_reason": {"gare": [1], "race_forward": [5], "score": [_I]},
}
_ALL = {**v1.TOOLKIT_MAP, **_NEW}
TOOLKIT_MAPS: dict[str, dict[str, dict]] = {
    form.name: {s.key: _ALL[s.key] for s in form.sections} for form in (FULL, SHORT, EXEMPTION)}
