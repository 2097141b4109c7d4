"""The demo's model statement: the full statement for the SCORE Work Plan (file 2026-00838).

Staff learn from it, so every answer is a real one, written from the facts of the
council file (the staff report, the City's written responses of March 2026, the
historical timeline and the work plan itself) and honest about what is missing:
no citywide disparity data yet, engagement standards not yet met for language
access and compensation, no count of participants in the record.
"""

from __future__ import annotations

SCORE_ITEM = {
    "file_id": "2026-00838",
    "title": "Sacramento Centered on Racial Equity (SCORE) Work Plan",
    "department": "HR",
    "location": "Citywide",
    "body": "City Council",
    "item_type": "Motion",
    "recommendation": "Pass a Motion approving the SCORE Work Plan as the start to operationalize "
                      "racial equity in the City, with the goal of producing material outcomes for "
                      "all residents to thrive and foster a culture of shared partnership between "
                      "community and government.",
    "contact": "Aimée Zenzele Barnes, Diversity & Equity Manager, Office of Diversity & Equity, "
               "Human Resources Department",
    "presenter": "Aimée Zenzele Barnes, Diversity & Equity Manager",
    "fiscal_statement": "Approval of the SCORE Work Plan continues to build upon existing efforts "
                        "to establish shared definitions and metrics in conjunction with evaluation "
                        "of program outcomes and provide potential frameworks to understand the "
                        "impact of decisions on City policy and funding.",
}

_S, _I, _P, _L = ("structural_equity_alignment", "institutional_accountability_and_shared_governance",
                  "equitable_city_community_partnership", "learning_that_drives_systems_change")

SCORE_ANSWERS = {
    "summary": (
        "The Council is asked to approve the SCORE Work Plan, the City's roadmap for making racial equity "
        "part of how it governs. Over three phases, from 2026 to 2029, the City will study racial "
        "disparities in Sacramento, set standards for how it engages communities, write a Citywide Racial "
        "Equity Action Plan with community partners, and require a racial equity statement with every "
        "item that comes to Council. The first phase uses money already set aside and existing staff."),
    "proposal": (
        "Approve, by motion, the SCORE Work Plan as the City's internal roadmap for carrying out Resolution "
        "2024-0354, which directs the City to operationalize racial equity. The plan runs in three "
        "overlapping phases: laying the foundation (2026-2027), institutionalizing change (2027-2028) and "
        "scaling and sustainability (2029 and after).\n\n"
        "Desired results: by the end of 2026, City engagement follows written standards for language "
        "access, accessibility, timing and compensation; by the end of 2027, a draft Citywide Racial Equity "
        "Action Plan, co-authored with community partners, is before Council; by the end of 2029, no item "
        "reaches Council without a racial equity statement beside its fiscal statement. The measure of "
        "success is the resolution's own definition: closing the gaps in outcomes so that race does not "
        "predict a resident's success."),
    "score_goals": [_S, _I, _P, _L],
    "score_goals_how": {
        _S: "It commissions the Citywide Racial Equity Study of Sacramento's racialized history and "
            "present-day disparities, and aligns the SEED GIS tool with community-defined priorities, so "
            "that policy and investment decisions start from evidence of structural inequity.",
        _I: "It forms a Citywide Racial Equity Implementation Team of department and community members, "
            "applies Race Forward's co-governance tool to set roles, and leads to an ordinance and to a "
            "racial equity statement on every Council item.",
        _P: "It commits the City to engagement standards for language access, accessibility, timing and "
            "compensation, and names community organizations as co-designers, implementation partners and "
            "accountability stewards.",
        _L: "It schedules SCORE workshops for Council, staff and community partners, an Equity Evaluation "
            "Framework, and annual progress reports that combine metrics with community narrative.",
    },
    "impact_areas": ["government_practices", "jobs_workforce"],
    "communities_affected": (
        "Citywide. Most directly: Black, Indigenous, Latino, Asian and Pacific Islander residents and other "
        "communities of color, who carry the historic and present-day inequities the listening sessions and "
        "the Racial Equity Alliance (REA) described; residents with limited English and residents with "
        "disabilities, whose barriers to taking part in City decisions the Community Leader Forum and the "
        "Disability Advisory Commission raised; and the community organizations of the REA, who are asked "
        "to co-design and steward the work.\n\n"
        "Indirectly: every City department and its staff, whose procedures change, and City employees of "
        "color, through the workforce equity part of the future Action Plan."),
    "disparities_data": (
        "The City has no citywide benchmark of racial disparities yet. The Citywide Racial Equity Study, "
        "funded with $250,000 in 2023, is the step in this plan that will produce one, on the model of "
        "Oakland's Equity Indicators Report, with community-led forums as part of its method.\n\n"
        "What exists today is partial: the Budget Equity Tool applied to the Sacramento Utility Rate "
        "Assistance program and to the Police Department's FY 2026/27 budget; the SEED GIS tool; and the "
        "2025 Black Wealth Blueprint, From Disparity to Prosperity, which the Racial Equity Committee sent "
        "to Council as a guiding document.\n\n"
        "Missing: figures by race for City services, spending and workforce across departments. The study "
        "(due August 2027) and the citywide equity dashboard of Phase 2 are how we will get them."),
    "inequity_levels": ["institutional", "structural"],
    "inequity_levels_how": {
        "institutional": "This is the plan's main level: it changes how the City decides, who takes part "
                         "and when community input comes, how budgets are analysed, and how departments "
                         "are held to account.",
        "structural": "It does not undo structural inequities by itself; it makes City decisions rest on "
                      "the documented history and present-day disparities, so they stop reinforcing harm "
                      "rooted in past federal and local policy.",
    },
    "root_causes": (
        "The work plan traces structural inequity in housing, education, wealth, health, public safety and "
        "economic development to historic and ongoing systems rooted in federal policies and practices that "
        "compounded harm for communities of color over generations; the Racial Equity Study will document "
        "Sacramento's own part in that history.\n\n"
        "Inside City government, the consultations named institutional causes: decisions made before "
        "community input can change them (the \"minds made up\" dynamic), engagement held at times, places "
        "and in languages that shut people out, community expertise that is not paid for, and equity work "
        "that depends on individuals' goodwill rather than on rules and budgets. The plan addresses these "
        "institutional causes directly, through standards, co-governance and a future ordinance. It leaves "
        "the structural causes beyond the City's reach to other initiatives, and to the evidence the study "
        "will provide."),
    "community_engagement": (
        "Who and how: listening sessions held by the Racial Equity Alliance and the Racial Equity Council, "
        "virtual and in person, in July and August 2024, which produced the Community Partnership & "
        "Accountability Strategy report (January 2025); monthly TRIO meetings of District 8, REA and City "
        "staff through 2025; ODE and REA sessions on co-governance (May 19, 2025) and on the plan's purpose "
        "(November 17, 2025); the Community Leader Forum of February 24, 2026; and the Racial Equity "
        "Committee meetings of January 20 and March 3, 2026.\n\n"
        "What they said: a clear funding structure; a defined accountability framework with meaningful, "
        "compensated participation; training residents for civic engagement; attention to structural "
        "barriers such as language access, intersectionality, meeting times and transparency; and trust "
        "built with the new administration.\n\n"
        "What changed: the plan now calls itself a roadmap, speaks of sustained commitment rather than "
        "urgency, aligns its timeline with capacity, makes the Community Partner Accountability Report "
        "integral, and answers the three funding questions in writing (Attachment 1).\n\n"
        "Not met: the record does not show materials or interpretation in languages other than English, and "
        "participants were not paid, so the language access and compensation standards were not met. "
        "Setting those standards is the plan's first partnership task (April to December 2026). No count of "
        "participants was kept in the file."),
    "engagement_levels": ["consult", "involve", "collaborate"],
    "engagement_levels_how": {
        "consult": "The Community Leader Forum asked what was missing from the draft; the City's written "
                   "responses answer its three key questions.",
        "involve": "REA members reviewed and edited the drafts with ODE (December 2025 and February 2026), "
                   "and their recommendations changed the plan's language and timeline.",
        "collaborate": "ODE and the REA co-facilitated the November 2025 session and the February 2026 "
                       "forum, and community partners are to co-author key sections of the Action Plan.",
    },
    "engagement_standards": ["timing"],
    "engagement_evidence": {
        "timing": "Listening sessions over two months in summer 2024, virtual and in person; community "
                  "leaders reviewed the draft in February 2026, two months before the Council vote, while "
                  "it could still change.",
    },
    "benefits_and_burdens": (
        "Communities of color gain a City that must show, item by item, how its decisions affect them, and "
        "a formal role in writing the Action Plan. Community organizations gain influence, but also carry "
        "work (co-design, review, stewardship) that is not yet paid for.\n\n"
        "City departments carry new procedures with no new positions, given the structural budget deficit: "
        "the cost is existing staff time. The risk is that benefits arrive slowly while the burden of "
        "taking part falls on the same community leaders who have carried this work since 2022."),
    "adverse_impacts": (
        "Engagement fatigue: community partners asked again and again for unpaid time could step back, "
        "leaving the work to staff (likely without compensation; serious for the plan's legitimacy). A "
        "required statement could become a box to tick that delays items without changing decisions "
        "(possible). Departments short of staff could treat equity work as optional (likely under the "
        "deficit). We will notice early through attendance and feedback at Racial Equity Committee "
        "meetings, the Community Partner Accountability Report, and how often statements are returned or "
        "late."),
    "strategies": (
        "Compensation: the engagement standards (2026) define how community careholders are paid, as funds "
        "allow. Support: ODE gives departments training and technical assistance, so no department works "
        "alone. Monitoring: progress is a standing item at every Racial Equity Committee meeting, so "
        "problems surface within weeks.\n\n"
        "Alternatives weighed: an urgent, fixed-term program (set aside at the REA's request for a living "
        "roadmap aligned with capacity), and waiting for new money before starting (rejected: Phase 1 uses "
        "the $54,000 left on the Race Forward contract and the $250,000 set aside in 2023)."),
    "implementation": (
        "Led by ODE in the Human Resources Department.\n"
        "Phase 1: the Community Leader Forum (February 2026, done); the Citywide Racial Equity Study "
        "(February 2026 to August 2027), paid from the $250,000 set aside in 2023; engagement standards "
        "(April to December 2026); a Citywide Racial Equity Implementation Team of department "
        "representatives and REA members, with roles set using Race Forward's co-governance tool (June 2026 "
        "to December 2027); SCORE workshops and an Equity Evaluation Framework (September 2026 to December "
        "2027), supported by the $54,000 left on the Race Forward contract.\n"
        "Phase 2 (2027-2028): a racial equity ordinance, department equity action plans and a citywide "
        "equity dashboard.\n"
        "Phase 3 (2028-2029): racial equity analysis required for policies, budgets, legislation, grants "
        "and contracts."),
    "accountability": [
        {"name": "Written engagement standards adopted (language access, accessibility, timing, "
                 "compensation)",
         "baseline": "None in writing", "target": "Adopted and used in City engagement", "due": "2026-12-31"},
        {"name": "First annual progress report, with metrics and community narrative",
         "baseline": "None", "target": "Presented at the first Racial Equity Committee meeting of 2027",
         "due": "2027-03-31"},
        {"name": "Citywide Racial Equity Study completed",
         "baseline": "Funded in 2023; scope being set with Race Forward",
         "target": "Study and benchmark report published", "due": "2027-08-31"},
        {"name": "Draft Citywide Racial Equity Action Plan before Council, co-authored with community "
                 "partners",
         "baseline": "Only the internal Race & Gender Equity Action Plan",
         "target": "Draft presented to Council", "due": "2027-12-31"},
    ],
    "reporting_back": (
        "ODE tracks the work. Progress is a standing item at every Racial Equity Committee meeting; ODE "
        "gives an annual update at the first meeting of each calendar year and publishes annual progress "
        "reports that combine quantitative metrics with community narrative. ODE reports back to the "
        "Racial Equity Alliance and the Community Leader Forum's participants through the TRIO meetings "
        "and the Community Partner Accountability Report."),
    "sustainability": (
        "Funding so far is one-time: $54,000 left on the 2022 Race Forward contract, and $250,000 set aside "
        "in 2023 for the historical analysis and the study. Given the structural budget deficit, the work "
        "relies on existing staff across departments, led by ODE, and on strategic contracting; the City "
        "will seek outside funding with partners, within legal and procurement rules.\n\n"
        "Durability comes from an ordinance (Phase 2) and from requirements written into policies and "
        "procedures (Phase 3), not from this plan alone. Community careholders are to be compensated as "
        "funds allow, on terms the compensation standard will set."),
}
