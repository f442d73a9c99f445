"""The KPI catalogue of spec/metrics.md and its computation through Ibis."""
