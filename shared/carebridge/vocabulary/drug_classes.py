"""Drug classes an allergy may name instead of a single ingredient
(`patients.allergy-changed` with substance_system "drug-class").

The patients service accepts only these codes; the care plans service maps
each of them to its member ingredients and checks medications against them.
A closed list on purpose: a misspelt class would match no medication and
silently switch a safety check off.
"""
DRUG_CLASSES: dict[str, str] = {
    "class:penicillins": "Penicillins",
    "class:cephalosporins": "Cephalosporins",
    "class:carbapenems": "Carbapenems",
    "class:sulfonamides": "Sulfonamide antibiotics",
    "class:macrolides": "Macrolides",
    "class:fluoroquinolones": "Fluoroquinolones",
    "class:tetracyclines": "Tetracyclines",
    "class:aminoglycosides": "Aminoglycosides",
    "class:nsaids": "Non-steroidal anti-inflammatory drugs",
    "class:opioids": "Opioid analgesics",
    "class:ace-inhibitors": "ACE inhibitors",
    "class:arbs": "Angiotensin receptor blockers",
    "class:beta-blockers": "Beta blockers",
    "class:statins": "HMG-CoA reductase inhibitors (statins)",
    "class:anticoagulants": "Anticoagulants",
    "class:ssris": "Selective serotonin reuptake inhibitors",
    "class:proton-pump-inhibitors": "Proton pump inhibitors",
    "class:mineralocorticoid-antagonists": "Mineralocorticoid receptor antagonists",
    "class:benzodiazepines": "Benzodiazepines",
}
