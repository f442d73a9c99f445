"""The monthly client report: a model built from planning and metrics, rendered as HTML, PDF
and XLSX in Russian or English."""
