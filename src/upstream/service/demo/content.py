"""Words for the demo world's records: referral reasons, "what matters" statements, goals in
the person's own words, onward services, notes and outcomes. Synthetic, never real cases."""

REFERRAL_REASONS = {
    "money_debt": "Struggling to make ends meet since the admission; behind on rent and bills.",
    "housing": "Damp, overcrowded flat; worried about eviction.",
    "loneliness": "Lives alone and has not been out since discharge.",
    "mental_wellbeing": "Low mood and anxiety affecting self-care; open to talking therapy.",
    "employment_education":
        "Lost hours on a zero-hours contract; wants help back to work or study.",
    "substance_use": "Drinking more since the diagnosis; would like support to cut down.",
    "carer_support": "Main carer for a parent and not coping.",
    "physical_activity": "Wants to be more active but unsure what is safe.",
    "food": "Skipping meals to save money.",
    "immigration": "Unsure of entitlement to care; needs immigration advice.",
    "digital_exclusion": "No smartphone or internet; misses appointment texts.",
    "ltc_self_management": "Finding it hard to manage medicines and monitoring.",
    "transport": "Cannot afford to travel to clinic appointments.",
    "domestic_abuse": "Disclosed feeling unsafe at home; consented to referral.",
}

WHAT_MATTERS = [
    "Being well enough to look after my grandchildren again.",
    "Getting on top of the money worries so I can sleep at night.",
    "Going back to work, even part time.",
    "Not feeling so alone in the flat all day.",
    "Finishing college and getting a job I like.",
    "Understanding my condition so I stop ending up in A&E.",
    "Keeping my home and getting the repairs done.",
    "Feeling like myself again and going out with friends.",
    "Being able to play football with my mates without getting ill.",
    "Getting back to school full time.",
]

STRENGTHS = [
    "Close to a sister who visits weekly.",
    "Keen cook; enjoys cooking for others.",
    "Used to run a market stall; good with people.",
    "Active in the mosque community.",
    "Loves music and drawing.",
    "Determined, and good at keeping appointments once set up.",
    "Supportive neighbour; has a dog that gets them out.",
]

GOALS = {
    "money_debt": "Get my benefits sorted so I can pay the rent",
    "housing": "Get the damp fixed or move somewhere better",
    "loneliness": "Get out and meet people twice a week",
    "mental_wellbeing": "Start talking therapy and feel less anxious",
    "employment_education": "Get back into work or college",
    "substance_use": "Cut down drinking to weekends only",
    "carer_support": "Get a regular break from caring",
    "physical_activity": "Walk to the park and back every day",
    "food": "Cook cheap healthy meals at home",
    "immigration": "Get free advice on my immigration status",
    "digital_exclusion": "Use the NHS App to see my appointments",
    "ltc_self_management": "Understand my medicines and take them every day",
    "transport": "Get help with travel costs to clinic",
    "domestic_abuse": "Have a safety plan and someone to call",
}

ONWARD_SERVICES = {
    "money_debt": ("Citizens Advice", "Benefits check and debt advice appointment"),
    "housing": ("Shelter housing advice", "Housing advice and repairs letter to landlord"),
    "loneliness": ("Age UK befriending", "Weekly befriending and lunch club"),
    "mental_wellbeing": ("NHS Talking Therapies", "Self-referral to talking therapies"),
    "employment_education": ("Work and skills hub", "Employment adviser and CV support"),
    "substance_use": ("Turning Point", "Alcohol support group"),
    "carer_support": ("Carers Centre", "Carer's assessment and respite options"),
    "physical_activity": ("Walk for Health", "Local walking group"),
    "food": ("Community food bank", "Food bank voucher and cooking course"),
    "immigration": ("Refugee and migrant advice service", "Immigration advice session"),
    "digital_exclusion": ("Library digital skills", "Device loan and NHS App session"),
    "ltc_self_management": ("Peer support group", "Condition peer support group"),
    "transport": ("Healthcare travel costs scheme", "Help claiming travel costs"),
    "domestic_abuse": ("Domestic abuse advocacy service", "Referral to an IDVA"),
}

UNSUCCESSFUL_NOTES = [
    "No answer; will try at a different time of day.",
    "Left a short voicemail with the team number.",
    "Sent an easy-read letter asking them to get in touch.",
    "Texted a reminder with a call-back time.",
    "Knocked at the door; no one home, left a card.",
    "",
]

ENGAGED_NOTES = [
    "Spoke for the first time; agreed to meet next week.",
    "Met in clinic after the appointment; keen to work together.",
    "Called back after the letter; agreed a home visit.",
]

CHECK_IN_NOTES = [
    "Check-in call; things moving with the housing officer.",
    "Quick call to confirm next session.",
    "Spoke about progress with the food bank and benefits.",
    "",
]

SESSION_NOTES = [
    "Went through the benefits forms together.",
    "Walked to the community centre to meet the group leader.",
    "Talked through worries about the next clinic appointment.",
    "Practised using the NHS App.",
    "Reviewed goals; feeling more confident.",
]

OUTCOMES = [
    "Benefits in payment and rent arrears plan agreed. Attending the walking group weekly and "
    "feels less isolated. Knows how to get back in touch.",
    "Started talking therapy; reports sleeping better. Housing repairs completed after a "
    "letter to the landlord.",
    "Back at college three days a week. Attending clinic regularly again and managing "
    "medicines with a phone reminder.",
    "Connected with the befriending service and a lunch club. Carer's assessment done; has a "
    "regular break.",
]

NOT_SUITABLE_NOTES = [
    "Needs are clinical and already met by the community mental health team.",
    "Already supported by a social worker doing the same work; agreed not to duplicate.",
    "Moved out of the borough before triage.",
]
