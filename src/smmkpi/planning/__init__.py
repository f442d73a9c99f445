"""Planning: the brief, goals → KPI sets, history analysis, targets, plans, plan against fact."""
