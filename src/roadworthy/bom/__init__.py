"""``roadworthy bom``: an ML bill of materials for the repository's components.

`collect` reads what the repository says about each component (its model card, weights, data
contracts, owners, stage and risk) into the frozen records of `model`; `cyclonedx` writes them
as a CycloneDX 1.6 document. Nothing here runs rules: a BOM describes, the check judges.
"""
