"""Drug classes an allergy can name instead of one ingredient.

Reference data, kept here as a plain data module rather than in a table: the
list is a contract with the care plans service (which checks medications
against these codes), so it changes with the code that validates it, through
review, and never by hand in one database. A typo in a class code would never
match a medication and silently disable a safety check, hence a closed list.
"""
DRUG_CLASSES = {
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
    "class:statins": "HMG-CoA reductase inhibitors (statins)",
    "class:benzodiazepines": "Benzodiazepines",
    "class:iodinated-contrast": "Iodinated contrast media",
}
