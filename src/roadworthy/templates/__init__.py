"""Templates `roadworthy init` writes: a policy file and the artifacts a component must carry."""

# Artifact name in the policy → template file. The template's name is also the fallback target.
TEMPLATES = {
    "model_card": "MODEL_CARD.md",
    "data_contract": "data_contract.yaml",
    "runbook": "RUNBOOK.md",
    "rollback_plan": "ROLLBACK.md",
    "risk_management": "RISK_MANAGEMENT.md",  # the eu-ai-act-high-risk preset's
    "monitoring_plan": "MONITORING_PLAN.md",
    "evaluation_report": "evaluation.yaml",  # only under a policy with stage criteria (scaffold)
}
