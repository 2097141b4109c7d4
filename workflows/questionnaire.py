"""The questions a Racial Equity Impact and Sustainability Statement asks.

This module is the single definition of the statement's sections: the API
lists them (``GET /sections``), the form is built from them, the lifecycle
asks :func:`missing` before a ``submit``, and ``docs/QUESTIONS.md`` shows how
they cover the GARE, Race Forward and SCORE frames. It is plain Python with
no Flask or SQLAlchemy so that every one of those layers, and the unit tests,
can import it without an app, a request or a database, and so that a change
to a question is reviewed in one small file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KIND_TEXT = "text"  # free text
KIND_CHOICE = "choice"  # exactly one of the choices
KIND_CHOICES = "choices"  # any number of the choices, no repeats
KINDS = frozenset({KIND_TEXT, KIND_CHOICE, KIND_CHOICES})

MAX_ANSWER_LENGTH = 20_000


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    prompt: str
    guidance: str
    required: bool
    kind: str
    choices: tuple[Choice, ...] = field(default=())

    def __post_init__(self) -> None:
        # A malformed definition is a programming error; fail at import time.
        if self.kind not in KINDS:
            raise ValueError(f"section {self.key!r}: unknown kind {self.kind!r}")
        if (self.kind == KIND_TEXT) != (not self.choices):
            raise ValueError(f"section {self.key!r}: choices are required exactly when not text")
        values = [c.value for c in self.choices]
        if len(values) != len(set(values)):
            raise ValueError(f"section {self.key!r}: duplicate choice values")

    @property
    def choice_values(self) -> frozenset[str]:
        return frozenset(c.value for c in self.choices)

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "prompt": self.prompt,
            "guidance": self.guidance,
            "required": self.required,
            "kind": self.kind,
            "choices": [{"value": c.value, "label": c.label} for c in self.choices],
        }

    def is_answered(self, value: object) -> bool:
        """None, a blank string and an empty list all mean "not yet answered"."""
        if value is None:
            return False
        if isinstance(value, str):
            return bool(value.strip())
        if isinstance(value, (list, tuple, set, frozenset, dict)):
            return bool(value)
        return True


def _choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(value, label) for value, label in pairs)


# Sacramento's four SCORE goals; each answers one level of inequity.
SCORE_GOALS = _choices(
    ("structural_equity_alignment", "Structural Equity Alignment"),
    (
        "institutional_accountability_and_shared_governance",
        "Institutional Accountability and Shared Governance",
    ),
    ("equitable_city_community_partnership", "Equitable City-Community Partnership"),
    ("learning_that_drives_systems_change", "Learning that Drives Systems Change"),
)
INEQUITY_LEVELS = _choices(
    ("structural", "Structural (systemic)"),
    ("institutional", "Institutional"),
    ("interpersonal", "Interpersonal"),
    ("individual", "Individual"),
)
# King County's determinants of equity, plus the Minneapolis areas they miss.
IMPACT_AREAS = _choices(
    ("early_childhood", "Early childhood development"),
    ("education", "Quality education"),
    ("jobs_workforce", "Family-wage jobs and workforce"),
    ("economic_development", "Economic development"),
    ("housing", "Affordable, safe housing"),
    ("neighborhoods", "Strong neighborhoods"),
    ("environment", "Healthy built and natural environments, environmental justice"),
    ("parks", "Parks and natural resources"),
    ("transportation", "Safe and efficient transportation"),
    ("food", "Healthy local food"),
    ("health_human_services", "Health and human services"),
    ("public_safety", "Community and public safety"),
    ("law_justice", "An equitable law and justice system"),
    ("government_practices", "Equity in government practices, spending and data"),
    ("arts_culture", "Arts and culture"),
)
ENGAGEMENT_LEVELS = _choices(
    ("inform", "Inform"),
    ("consult", "Consult"),
    ("involve", "Involve"),
    ("collaborate", "Collaborate"),
    ("empower", "Empower"),
)
ENGAGEMENT_STANDARDS = _choices(
    ("language_access", "Language access"),
    ("accessibility", "Accessibility"),
    ("timing", "Timing"),
    ("compensation", "Compensation"),
)

SECTIONS: tuple[Section, ...] = (
    # Section(key, title, prompt, guidance, required, kind[, choices])
    Section(
        "proposal", "Proposal and desired results",
        "What is Council being asked to decide, and what racial equity results should the "
        "decision produce?",
        "Describe the action in plain language: what changes, where, for whom and from when. "
        "State one to three results you expect to see in communities of color, specific enough to "
        "check later (for example, \"cut the gap in permit wait times between council districts by "
        "half within two years\"). A result names who is better off and how, not just an activity "
        "the City will perform.",
        True, KIND_TEXT,
    ),
    Section(
        "score_goals", "SCORE goals",
        "Which of the City's SCORE goals does this proposal advance?",
        "Tick every goal the proposal moves forward in a way you can point to, and say how in the "
        "proposal section. Ticking a goal is a claim a reviewer will test against the rest of the "
        "statement, so prefer two well-supported goals to four loose ones.",
        True, KIND_CHOICES, SCORE_GOALS,
    ),
    Section(
        "impact_areas", "Impact areas",
        "Which areas of community life could this proposal affect?",
        "Tick each area where the proposal changes access, cost, quality or location of something "
        "residents rely on, whether the change is intended or not. Use the list as a checklist to "
        "catch effects outside your department's usual remit; leave it empty only if none apply.",
        False, KIND_CHOICES, IMPACT_AREAS,
    ),
    Section(
        "communities_affected", "Communities affected",
        "Which racial and ethnic groups, neighborhoods or council districts will this proposal "
        "affect most?",
        "Name the groups and places, and say whether each is affected directly (they use the "
        "service, live nearby, pay the fee) or indirectly. Include people who often go uncounted, "
        "such as residents with limited English, renters, unhoused residents and people with "
        "disabilities. Use census tracts or districts from the SEED GIS tool where the effect is "
        "geographic.",
        True, KIND_TEXT,
    ),
    Section(
        "disparities_data", "Data on disparities",
        "What does the data show about racial disparities today in the area this proposal "
        "touches, and what data is missing?",
        "Cite specific figures broken down by race and, where relevant, by place, with their "
        "source and year: the Citywide Racial Equity Study, the SEED GIS tool, the City's equity "
        "indicators and your department's Budget Equity Tool results are the first places to "
        "look. Add community-reported evidence where numbers are thin, and say plainly which data "
        "you could not find and how you will get it.",
        True, KIND_TEXT,
    ),
    Section(
        "inequity_levels", "Levels of inequity",
        "At which levels of inequity does this proposal act?",
        "Structural means long-standing systems across housing, wealth, health and the like; "
        "institutional means City policies, budgets, procedures and who takes part in decisions; "
        "interpersonal means day-to-day dealings between staff and residents; individual means "
        "personal beliefs and bias. Tick the levels the proposal actually changes, not only those "
        "it mentions.",
        True, KIND_CHOICES, INEQUITY_LEVELS,
    ),
    Section(
        "root_causes", "Root causes",
        "What causes the disparities you described, and does this proposal address those causes "
        "or only their symptoms?",
        "Trace each disparity back to the policies, practices or history that produce it, "
        "including past City decisions where they played a part. Then say which causes the "
        "proposal changes, which it leaves in place, and why.",
        True, KIND_TEXT,
    ),
    Section(
        "community_engagement", "Community engagement",
        "How were the people most affected involved in shaping this proposal, what did they say, "
        "and what changed because of it?",
        "List who was engaged (organizations, groups, the Racial Equity Alliance or commissions), "
        "how and when, and the main things they told you. Say what the proposal now does "
        "differently as a result, who was not reached and what you will do to reach them. If any "
        "engagement standard below was not met, explain why here.",
        True, KIND_TEXT,
    ),
    Section(
        "engagement_levels", "Engagement levels used",
        "Which levels of the IAP2 public participation spectrum did the engagement reach?",
        "Tick only the levels actually used: informing people is not consulting them, and "
        "consulting is not sharing the decision. A proposal that shapes a community's daily life "
        "should normally reach at least involve, and a reviewer will expect a reason if it did "
        "not.",
        True, KIND_CHOICES, ENGAGEMENT_LEVELS,
    ),
    Section(
        "engagement_standards", "Engagement standards met",
        "Which of the community's engagement standards did the engagement meet?",
        "Language access means materials and interpretation in the languages residents speak; "
        "accessibility means venues, formats and tools usable by people with disabilities; timing "
        "means meetings at times and places people can attend, early enough to change the "
        "outcome; compensation means paying or otherwise supporting community members for their "
        "time. Tick only what you can evidence.",
        False, KIND_CHOICES, ENGAGEMENT_STANDARDS,
    ),
    Section(
        "benefits_and_burdens", "Benefits and burdens",
        "Who will benefit from this proposal and who will carry its costs or burdens, by race and "
        "place?",
        "For each group named above, say what it gains and what it gives up: money, time, access, "
        "displacement risk, health or safety. Compare the share of benefit each group receives "
        "with its share of need shown in the data, and note where the proposal widens or narrows "
        "an existing gap.",
        True, KIND_TEXT,
    ),
    Section(
        "adverse_impacts", "Unintended consequences",
        "What harm could this proposal cause that it does not intend, and which groups would bear "
        "it?",
        "Think beyond the first effect: rising rents after an improvement, enforcement that falls "
        "on some neighborhoods more than others, eligibility rules that exclude people without "
        "documents or bank accounts. Say how likely and how serious each harm is, and how you "
        "would notice it early.",
        True, KIND_TEXT,
    ),
    Section(
        "strategies", "Strategies and alternatives",
        "What will you do to increase the equitable benefits and prevent or reduce the harms, and "
        "which alternatives did you weigh?",
        "Match each strategy to a harm or gap you named, with who carries it out and by when. "
        "Describe at least one alternative or change you considered, such as a different "
        "location, phasing, eligibility rule or funding source, and why you chose or rejected it.",
        True, KIND_TEXT,
    ),
    Section(
        "implementation", "Implementation plan",
        "How will the proposal be carried out so that the equity results are actually delivered?",
        "Give the steps, the responsible division or partner, milestones and the budget line that "
        "pays for each step. Note any contract terms, policies or procedures that make the equity "
        "commitments enforceable, and any staff training or community partners the plan depends "
        "on.",
        True, KIND_TEXT,
    ),
    Section(
        "accountability", "Accountability and reporting back",
        "How will you know whether the proposal worked, and how will results be reported to "
        "Council and the community?",
        "Name two to five success indicators with a baseline, a target and a date, disaggregated "
        "by race where possible, and include at least one about the quality of engagement. Say "
        "who tracks them, how often, and where the results will be published or presented, "
        "including a report back to the people who were engaged.",
        True, KIND_TEXT,
    ),
    Section(
        "sustainability", "Sustainability",
        "How will the benefits last beyond the first year, in funding, staffing and ongoing "
        "community participation?",
        "State whether funding is one-time or ongoing and what happens when it ends, and which "
        "positions keep the work going. Describe how data collection, reporting and community "
        "participation continue, and how community members who stay involved will be supported or "
        "compensated.",
        True, KIND_TEXT,
    ),
)

SECTION_KEYS: frozenset[str] = frozenset(s.key for s in SECTIONS)
_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
if len(_BY_KEY) != len(SECTIONS):  # not assert: must hold under python -O too
    raise ValueError("section keys must be unique")

GARE_STEPS: dict[int, str] = {
    1: "Proposal and desired results",
    2: "Data",
    3: "Community engagement",
    4: "Analysis and strategies",
    5: "Implementation",
    6: "Accountability and communication",
}
RACE_FORWARD_QUESTIONS: dict[int, str] = {
    1: "Identifying stakeholders",
    2: "Engaging stakeholders",
    3: "Identifying and documenting inequities",
    4: "Examining the causes",
    5: "Clarifying the purpose",
    6: "Considering adverse impacts",
    7: "Advancing equitable impacts",
    8: "Examining alternatives or improvements",
    9: "Ensuring viability and sustainability",
    10: "Identifying success indicators",
}

_S, _I, _P, _L = (c.value for c in SCORE_GOALS)
# Which toolkit steps/questions and SCORE goals each section serves.
# docs/QUESTIONS.md shows the same table; a unit test keeps them in step.
TOOLKIT_MAP: dict[str, dict] = {
    "proposal": {"gare": [1], "race_forward": [5], "score": [_S]},
    "score_goals": {"gare": [1], "race_forward": [5], "score": [_S, _I, _P, _L]},
    "impact_areas": {"gare": [1], "race_forward": [1], "score": [_S]},
    "communities_affected": {"gare": [2], "race_forward": [1], "score": [_S, _P]},
    "disparities_data": {"gare": [2], "race_forward": [3], "score": [_S]},
    "inequity_levels": {"gare": [4], "race_forward": [4], "score": [_S, _I, _P, _L]},
    "root_causes": {"gare": [2, 4], "race_forward": [4], "score": [_S, _L]},
    "community_engagement": {"gare": [3], "race_forward": [2], "score": [_I, _P]},
    "engagement_levels": {"gare": [3], "race_forward": [2], "score": [_I, _P]},
    "engagement_standards": {"gare": [3], "race_forward": [2], "score": [_P]},
    "benefits_and_burdens": {"gare": [4], "race_forward": [3, 7], "score": [_S]},
    "adverse_impacts": {"gare": [4], "race_forward": [6], "score": [_S]},
    "strategies": {"gare": [4], "race_forward": [6, 7, 8], "score": [_S, _I]},
    "implementation": {"gare": [5], "race_forward": [9], "score": [_I]},
    "accountability": {"gare": [6], "race_forward": [10], "score": [_I, _L]},
    "sustainability": {"gare": [5, 6], "race_forward": [9], "score": [_I, _P]},
}
if set(TOOLKIT_MAP) != SECTION_KEYS:
    raise ValueError("every section needs exactly one TOOLKIT_MAP entry")


def get_section(key: str) -> Section:
    """The section with this key; KeyError if there is none."""
    return _BY_KEY[key]


def _check(section: Section, value: object) -> str | None:
    """A sentence describing what is wrong with one answer, or None."""
    if value is None:
        return None
    if section.kind == KIND_TEXT:
        if not isinstance(value, str):
            return "This answer must be text."
        if len(value) > MAX_ANSWER_LENGTH:
            return (
                f"This answer is {len(value):,} characters long; "
                f"the limit is {MAX_ANSWER_LENGTH:,}."
            )
        return None
    allowed = ", ".join(c.value for c in section.choices)
    if section.kind == KIND_CHOICE:
        if not isinstance(value, str) or value not in section.choice_values:
            return f"Choose one of: {allowed}."
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "This answer must be a list of choices."
    unknown = [v for v in value if v not in section.choice_values]
    if unknown:
        return f"{', '.join(unknown)} is not a valid choice; choose from: {allowed}."
    if len(value) != len(set(value)):
        return "Each choice may be given only once."
    return None


def validate_answers(answers: object) -> dict[str, str]:
    """Problems with a whole ``answers`` object, keyed by section; {} when valid.

    Completeness is not checked here (a draft may be partial); see missing().
    """
    if not isinstance(answers, dict):
        return {"answers": "Answers must be an object keyed by section."}
    errors: dict[str, str] = {}
    for key, value in answers.items():
        section = _BY_KEY.get(key) if isinstance(key, str) else None
        if section is None:
            errors[str(key)] = "This is an unknown section."
            continue
        problem = _check(section, value)
        if problem:
            errors[key] = problem
    return errors


def missing(answers: dict) -> list[str]:
    """Keys of required sections not yet answered, in the order they are asked."""
    answers = answers or {}
    return [s.key for s in SECTIONS if s.required and not s.is_answered(answers.get(s.key))]
