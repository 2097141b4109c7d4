"""Version 1 of the questions: the sixteen sections of the full statement as first written.

Statements written against version 1 keep these questions for good (see
``workflows.questionnaire``): an answer given to a question stays next to
that question, even after ODE changes the questionnaire. Version 2 reuses
most of these sections as they are; do not edit them here, add a version.

Each section carries an example answer, all about one sample proposal (extending
the City's utility rate assistance to renters), so that together they read as
a statement a staff member can learn from.
"""

from __future__ import annotations

from workflows.i18n import N_
from workflows.sections import KIND_CHOICES, KIND_TEXT, Form, Section, choices

# Sacramento's four SCORE goals; each answers one level of inequity.
SCORE_GOALS = choices(
    ("structural_equity_alignment", N_("Structural Equity Alignment")),
    ("institutional_accountability_and_shared_governance",
     N_("Institutional Accountability and Shared Governance")),
    ("equitable_city_community_partnership", N_("Equitable City-Community Partnership")),
    ("learning_that_drives_systems_change", N_("Learning that Drives Systems Change")),
)
INEQUITY_LEVELS = choices(
    ("structural", N_("Structural (systemic)")),
    ("institutional", N_("Institutional")),
    ("interpersonal", N_("Interpersonal")),
    ("individual", N_("Individual")),
)
# King County's determinants of equity, plus the Minneapolis areas they miss.
IMPACT_AREAS = choices(
    ("early_childhood", N_("Early childhood development")),
    ("education", N_("Quality education")),
    ("jobs_workforce", N_("Family-wage jobs and workforce")),
    ("economic_development", N_("Economic development")),
    ("housing", N_("Affordable, safe housing")),
    ("neighborhoods", N_("Strong neighborhoods")),
    ("environment", N_("Healthy built and natural environments, environmental justice")),
    ("parks", N_("Parks and natural resources")),
    ("transportation", N_("Safe and efficient transportation")),
    ("food", N_("Healthy local food")),
    ("health_human_services", N_("Health and human services")),
    ("public_safety", N_("Community and public safety")),
    ("law_justice", N_("An equitable law and justice system")),
    ("government_practices", N_("Equity in government practices, spending and data")),
    ("arts_culture", N_("Arts and culture")),
)
ENGAGEMENT_LEVELS = choices(
    ("inform", N_("Inform")),
    ("consult", N_("Consult")),
    ("involve", N_("Involve")),
    ("collaborate", N_("Collaborate")),
    ("empower", N_("Empower")),
)
ENGAGEMENT_STANDARDS = choices(
    ("language_access", N_("Language access")),
    ("accessibility", N_("Accessibility")),
    ("timing", N_("Timing")),
    ("compensation", N_("Compensation")),
)

PROPOSAL = Section(
    "proposal", N_("Proposal and desired results"),
    N_("What is Council being asked to decide, and what racial equity results should the decision produce?"),
    N_("Describe the action in plain language: what changes, where, for whom and from when. State one to "
       "three results you expect to see in communities of color, specific enough to check later (for "
       "example, \"cut the gap in permit wait times between council districts by half within two years\"). "
       "A result names who is better off and how, not just an activity the City will perform."),
    True, KIND_TEXT,
    example=N_("Extend the Sacramento Utility Rate Assistance (SURA) discount to renters who pay for water "
               "through their landlord, from January 2027. Desired result: within two years, renter "
               "households in Districts 2, 5 and 8, most of them Black, Latino or Southeast Asian, enroll at "
               "the same rate as eligible homeowners do today."),
)
SCORE_GOALS_V1 = Section(
    "score_goals", N_("SCORE goals"),
    N_("Which of the City's SCORE goals does this proposal advance?"),
    N_("Tick every goal the proposal moves forward in a way you can point to, and say how in the proposal "
       "section. Ticking a goal is a claim a reviewer will test against the rest of the statement, so "
       "prefer two well-supported goals to four loose ones."),
    True, KIND_CHOICES, SCORE_GOALS,
    example=["structural_equity_alignment", "equitable_city_community_partnership"],
)
IMPACT_AREAS_SECTION = Section(
    "impact_areas", N_("Impact areas"),
    N_("Which areas of community life could this proposal affect?"),
    N_("Tick each area where the proposal changes access, cost, quality or location of something residents "
       "rely on, whether the change is intended or not. Use the list as a checklist to catch effects "
       "outside your department's usual remit; leave it empty only if none apply."),
    False, KIND_CHOICES, IMPACT_AREAS,
    example=["housing", "health_human_services"],
)
COMMUNITIES_AFFECTED = Section(
    "communities_affected", N_("Communities affected"),
    N_("Which racial and ethnic groups, neighborhoods or council districts will this proposal affect most?"),
    N_("Name the groups and places, and say whether each is affected directly (they use the service, live "
       "nearby, pay the fee) or indirectly. Include people who often go uncounted, such as residents with "
       "limited English, renters, unhoused residents and people with disabilities. Use census tracts or "
       "districts from the SEED GIS tool where the effect is geographic."),
    True, KIND_TEXT,
    example=N_("Directly: renter households with low incomes, most of them in Districts 2, 5 and 8, where "
               "most renters are Black, Latino or Southeast Asian. Residents with limited English are less "
               "likely to know the discount exists. Indirectly: landlords, who may be asked to confirm a "
               "tenancy."),
)
DISPARITIES_DATA = Section(
    "disparities_data", N_("Data on disparities"),
    N_("What does the data show about racial disparities today in the area this proposal touches, and what "
       "data is missing?"),
    N_("Cite specific figures broken down by race and, where relevant, by place, with their source and year: "
       "the Citywide Racial Equity Study, the SEED GIS tool, the City's equity indicators and your "
       "department's Budget Equity Tool results are the first places to look. Add community-reported "
       "evidence where numbers are thin, and say plainly which data you could not find and how you will "
       "get it."),
    True, KIND_TEXT,
    example=N_("The Utilities' 2025 enrollment records show that most enrolled households own their homes. "
               "The American Community Survey shows that Black and Latino households in the City rent more "
               "often than white households. No source counts renters who pay for water through their "
               "landlord: the new application will ask, and the first year's count will be reported."),
)
INEQUITY_LEVELS_V1 = Section(
    "inequity_levels", N_("Levels of inequity"),
    N_("At which levels of inequity does this proposal act?"),
    N_("Structural means long-standing systems across housing, wealth, health and the like; institutional "
       "means City policies, budgets, procedures and who takes part in decisions; interpersonal means "
       "day-to-day dealings between staff and residents; individual means personal beliefs and bias. Tick "
       "the levels the proposal actually changes, not only those it mentions."),
    True, KIND_CHOICES, INEQUITY_LEVELS,
    example=["institutional"],
)
ROOT_CAUSES = Section(
    "root_causes", N_("Root causes"),
    N_("What causes the disparities you described, and does this proposal address those causes or only "
       "their symptoms?"),
    N_("Trace each disparity back to the policies, practices or history that produce it, including past "
       "City decisions where they played a part. Then say which causes the proposal changes, which it "
       "leaves in place, and why."),
    True, KIND_TEXT,
    example=N_("The discount was written for account holders, and landlords, not tenants, hold most renters' "
               "water accounts. A City rule, not need, decides who may enroll; the proposal changes that "
               "rule. It leaves in place the higher housing costs renters face, which are beyond this "
               "item."),
)
COMMUNITY_ENGAGEMENT = Section(
    "community_engagement", N_("Community engagement"),
    N_("How were the people most affected involved in shaping this proposal, what did they say, and what "
       "changed because of it?"),
    N_("List who was engaged (organizations, groups, the Racial Equity Alliance or commissions), how and "
       "when, and the main things they told you. Say what the proposal now does differently as a result, "
       "who was not reached and what you will do to reach them. If any engagement standard below was not "
       "met, explain why here."),
    True, KIND_TEXT,
    example=N_("Two evening listening sessions with tenant organizations in Districts 2 and 5 (March 2026), "
               "with interpretation. Tenants asked for a paper application and for no landlord signature; "
               "both are now in the proposal. Renters in District 8 were not reached; a session there will "
               "be held before launch. Participants were not paid, so the compensation standard was not "
               "met."),
)
ENGAGEMENT_LEVELS_V1 = Section(
    "engagement_levels", N_("Engagement levels used"),
    N_("Which levels of the IAP2 public participation spectrum did the engagement reach?"),
    N_("Tick only the levels actually used: informing people is not consulting them, and consulting is not "
       "sharing the decision. A proposal that shapes a community's daily life should normally reach at "
       "least involve, and a reviewer will expect a reason if it did not."),
    True, KIND_CHOICES, ENGAGEMENT_LEVELS,
    example=["inform", "consult"],
)
ENGAGEMENT_STANDARDS_SECTION = Section(
    "engagement_standards", N_("Engagement standards met"),
    N_("Which of the community's engagement standards did the engagement meet?"),
    N_("Language access means materials and interpretation in the languages residents speak; accessibility "
       "means venues, formats and tools usable by people with disabilities; timing means meetings at times "
       "and places people can attend, early enough to change the outcome; compensation means paying or "
       "otherwise supporting community members for their time. Tick only what you can evidence."),
    False, KIND_CHOICES, ENGAGEMENT_STANDARDS,
    example=["language_access", "timing"],
)
BENEFITS_AND_BURDENS = Section(
    "benefits_and_burdens", N_("Benefits and burdens"),
    N_("Who will benefit from this proposal and who will carry its costs or burdens, by race and place?"),
    N_("For each group named above, say what it gains and what it gives up: money, time, access, "
       "displacement risk, health or safety. Compare the share of benefit each group receives with its share "
       "of need shown in the data, and note where the proposal widens or narrows an existing gap."),
    True, KIND_TEXT,
    example=N_("Renters who enroll pay less for water every month, and most of them live in the districts "
               "with the greatest need. The cost is paid from the assistance fund, not by other ratepayers. "
               "Landlords may have more paperwork; a lease is accepted instead of their signature."),
)
ADVERSE_IMPACTS = Section(
    "adverse_impacts", N_("Unintended consequences"),
    N_("What harm could this proposal cause that it does not intend, and which groups would bear it?"),
    N_("Think beyond the first effect: rising rents after an improvement, enforcement that falls on some "
       "neighborhoods more than others, eligibility rules that exclude people without documents or bank "
       "accounts. Say how likely and how serious each harm is, and how you would notice it early."),
    True, KIND_TEXT,
    example=N_("Landlords could raise rents by the amount of the discount (unlikely, as it is small). "
               "Renters without a written lease could be left out (likely, and serious for them). We will "
               "watch complaints and enrollment by district every month for the first six months."),
)
STRATEGIES = Section(
    "strategies", N_("Strategies and alternatives"),
    N_("What will you do to increase the equitable benefits and prevent or reduce the harms, and which "
       "alternatives did you weigh?"),
    N_("Match each strategy to a harm or gap you named, with who carries it out and by when. Describe at "
       "least one alternative or change you considered, such as a different location, phasing, eligibility "
       "rule or funding source, and why you chose or rejected it."),
    True, KIND_TEXT,
    example=N_("The credit goes to the tenant, never the landlord. A lease, a letter from a landlord or a "
               "shared-meter statement proves tenancy, so people without a lease can enroll. Community "
               "partners help people apply. We weighed a rebate paid to landlords and rejected it: nothing "
               "would make them pass it on."),
)
IMPLEMENTATION = Section(
    "implementation", N_("Implementation plan"),
    N_("How will the proposal be carried out so that the equity results are actually delivered?"),
    N_("Give the steps, the responsible division or partner, milestones and the budget line that pays for "
       "each step. Note any contract terms, policies or procedures that make the equity commitments "
       "enforceable, and any staff training or community partners the plan depends on."),
    True, KIND_TEXT,
    example=N_("Customer Service builds the application by October 2026; two tenant organizations are "
               "contracted from the outreach budget line for enrollment help; counter staff are trained in "
               "December; the discount starts in January 2027."),
)
ACCOUNTABILITY_V1 = Section(
    "accountability", N_("Accountability and reporting back"),
    N_("How will you know whether the proposal worked, and how will results be reported to Council and the "
       "community?"),
    N_("Name two to five success indicators with a baseline, a target and a date, disaggregated by race "
       "where possible, and include at least one about the quality of engagement. Say who tracks them, how "
       "often, and where the results will be published or presented, including a report back to the people "
       "who were engaged."),
    True, KIND_TEXT,
    example=N_("Renter households enrolled, by district (baseline: none, as renters could not apply; target: "
               "3,000 by December 2027). Applications made in a language other than English (target: one "
               "in four). Reported each December to the Racial Equity Committee and to the tenant "
               "organizations that took part."),
)
SUSTAINABILITY = Section(
    "sustainability", N_("Sustainability"),
    N_("How will the benefits last beyond the first year, in funding, staffing and ongoing community "
       "participation?"),
    N_("State whether funding is one-time or ongoing and what happens when it ends, and which positions keep "
       "the work going. Describe how data collection, reporting and community participation continue, and "
       "how community members who stay involved will be supported or compensated."),
    True, KIND_TEXT,
    example=N_("The discount is paid from the ongoing assistance fund and needs no new positions. The "
               "enrollment partners are funded for two years and then reviewed with the tenant "
               "organizations, who are paid for the review meetings."),
)

FULL = Form("full", N_("Full statement"), N_("The whole statement, for anything that changes services, "
                                             "spending, rules, land use or staffing."), (
    PROPOSAL, SCORE_GOALS_V1, IMPACT_AREAS_SECTION, COMMUNITIES_AFFECTED, DISPARITIES_DATA,
    INEQUITY_LEVELS_V1, ROOT_CAUSES, COMMUNITY_ENGAGEMENT, ENGAGEMENT_LEVELS_V1, ENGAGEMENT_STANDARDS_SECTION,
    BENEFITS_AND_BURDENS, ADVERSE_IMPACTS, STRATEGIES, IMPLEMENTATION, ACCOUNTABILITY_V1, SUSTAINABILITY,
))

_S, _I, _P, _L = (c.value for c in SCORE_GOALS)
# Which toolkit steps/questions and SCORE goals each section serves (docs/QUESTIONS.md, "Version 1").
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
