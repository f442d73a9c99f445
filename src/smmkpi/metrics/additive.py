"""The canonical columns the KPIs add up over a period: what the queries sum (``queries.py``)
and what the planning's daily series sum, named once without importing the query builder."""

DAILY_SUMS = (
    "followers_gained",
    "followers_lost",
    "reach",
    "impressions",
    "profile_visits",
    "link_clicks",
    "contact_clicks",
    "location_clicks",
)
POST_SUMS = (
    "likes",
    "comments",
    "shares",
    "views",
    "reach",
    "reach_organic",
    "reach_viral",
    "reach_paid",
    "link_clicks",
)
