SELECT
  "t23"."account_id",
  "t23"."client_id",
  "t23"."period_index",
  "t23"."daily_rows",
  "t23"."in__followers_end",
  "t23"."rows__followers_end",
  "t23"."in__followers_start",
  "t23"."rows__followers_start",
  "t23"."in__followers_avg",
  "t23"."rows__followers_avg",
  "t23"."in__followers_gained",
  "t23"."rows__followers_gained",
  "t23"."in__followers_lost",
  "t23"."rows__followers_lost",
  "t23"."in__net_follower_growth",
  "t23"."rows__net_follower_growth",
  "t23"."in__followers_change",
  "t23"."rows__followers_change",
  "t23"."in__reach",
  "t23"."rows__reach",
  "t23"."in__impressions",
  "t23"."rows__impressions",
  "t23"."in__profile_visits",
  "t23"."rows__profile_visits",
  "t23"."in__link_clicks",
  "t23"."rows__link_clicks",
  "t23"."in__contact_clicks",
  "t23"."rows__contact_clicks",
  "t23"."in__location_clicks",
  "t23"."rows__location_clicks",
  "t23"."in__er_day_base",
  "t23"."rows__er_day_base",
  "t23"."in__posts",
  "t23"."rows__posts",
  "t23"."in__interactions",
  "t23"."rows__interactions",
  "t23"."in__er_base",
  "t23"."rows__er_base",
  "t23"."in__likes",
  "t23"."rows__likes",
  "t23"."in__likes_base",
  "t23"."rows__likes_base",
  "t23"."in__comments",
  "t23"."rows__comments",
  "t23"."in__comments_base",
  "t23"."rows__comments_base",
  "t23"."in__shares",
  "t23"."rows__shares",
  "t23"."in__shares_base",
  "t23"."rows__shares_base",
  "t23"."in__views",
  "t23"."rows__views",
  "t23"."in__views_base",
  "t23"."rows__views_base",
  "t23"."in__post_reach",
  "t23"."rows__post_reach",
  "t23"."in__posts_with_reach",
  "t23"."rows__posts_with_reach",
  "t23"."in__post_reach_organic",
  "t23"."rows__post_reach_organic",
  "t23"."in__post_reach_viral",
  "t23"."rows__post_reach_viral",
  "t23"."in__post_reach_paid",
  "t23"."rows__post_reach_paid",
  "t23"."in__split_organic",
  "t23"."rows__split_organic",
  "t23"."in__split_viral",
  "t23"."rows__split_viral",
  "t23"."in__split_paid",
  "t23"."rows__split_paid",
  "t23"."in__split_total",
  "t23"."rows__split_total",
  "t23"."in__err_interactions",
  "t23"."rows__err_interactions",
  "t23"."in__err_reach",
  "t23"."rows__err_reach",
  "t23"."in__post_link_clicks",
  "t23"."rows__post_link_clicks",
  "t23"."in__followers_end" AS "kpi__followers",
  "t23"."in__followers_start" AS "kpi__followers_start",
  "t23"."in__followers_avg" AS "kpi__followers_avg",
  "t23"."in__followers_gained" AS "kpi__followers_gained",
  "t23"."in__followers_lost" AS "kpi__followers_lost",
  "t23"."in__net_follower_growth" AS "kpi__net_follower_growth",
  CASE
    WHEN (
      "t23"."in__followers_change" IS NULL
    )
    OR (
      "t23"."in__followers_start" IS NULL
    )
    OR (
      "t23"."in__followers_start" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__followers_change" AS DOUBLE) / CAST("t23"."in__followers_start" AS DOUBLE)
    ) * 100
  END AS "kpi__follower_growth_rate",
  CASE
    WHEN (
      "t23"."in__followers_lost" IS NULL
    )
    OR (
      "t23"."in__followers_start" IS NULL
    )
    OR (
      "t23"."in__followers_start" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__followers_lost" AS DOUBLE) / CAST("t23"."in__followers_start" AS DOUBLE)
    ) * 100
  END AS "kpi__churn_rate",
  CASE
    WHEN (
      "t23"."in__followers_gained" IS NULL
    )
    OR (
      "t23"."in__followers_start" IS NULL
    )
    OR (
      "t23"."in__followers_start" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__followers_gained" AS DOUBLE) / CAST("t23"."in__followers_start" AS DOUBLE)
    ) * 100
  END AS "kpi__audience_renewal_rate",
  "t23"."in__reach" AS "kpi__reach",
  "t23"."in__impressions" AS "kpi__impressions",
  "t23"."in__post_reach" AS "kpi__post_reach",
  CASE
    WHEN (
      "t23"."in__post_reach" IS NULL
    )
    OR (
      "t23"."in__posts_with_reach" IS NULL
    )
    OR (
      "t23"."in__posts_with_reach" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t23"."in__post_reach" AS DOUBLE) / CAST("t23"."in__posts_with_reach" AS DOUBLE)
  END AS "kpi__avg_post_reach",
  "t23"."in__post_reach_organic" AS "kpi__post_reach_organic",
  "t23"."in__post_reach_viral" AS "kpi__post_reach_viral",
  "t23"."in__post_reach_paid" AS "kpi__post_reach_paid",
  CASE
    WHEN (
      "t23"."in__split_organic" IS NULL
    )
    OR (
      "t23"."in__split_total" IS NULL
    )
    OR (
      "t23"."in__split_total" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__split_organic" AS DOUBLE) / CAST("t23"."in__split_total" AS DOUBLE)
    ) * 100
  END AS "kpi__organic_reach_share",
  CASE
    WHEN (
      "t23"."in__split_viral" IS NULL
    )
    OR (
      "t23"."in__split_total" IS NULL
    )
    OR (
      "t23"."in__split_total" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__split_viral" AS DOUBLE) / CAST("t23"."in__split_total" AS DOUBLE)
    ) * 100
  END AS "kpi__viral_reach_share",
  CASE
    WHEN (
      "t23"."in__split_paid" IS NULL
    )
    OR (
      "t23"."in__split_total" IS NULL
    )
    OR (
      "t23"."in__split_total" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__split_paid" AS DOUBLE) / CAST("t23"."in__split_total" AS DOUBLE)
    ) * 100
  END AS "kpi__paid_reach_share",
  "t23"."in__posts" AS "kpi__posts",
  "t23"."in__interactions" AS "kpi__interactions",
  CASE
    WHEN (
      "t23"."in__interactions" IS NULL
    )
    OR (
      "t23"."in__er_base" IS NULL
    )
    OR (
      "t23"."in__er_base" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__interactions" AS DOUBLE) / "t23"."in__er_base"
    ) * 100
  END AS "kpi__er",
  CASE
    WHEN (
      "t23"."in__likes" IS NULL
    )
    OR (
      "t23"."in__likes_base" IS NULL
    )
    OR (
      "t23"."in__likes_base" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__likes" AS DOUBLE) / "t23"."in__likes_base"
    ) * 100
  END AS "kpi__like_rate",
  CASE
    WHEN (
      "t23"."in__comments" IS NULL
    )
    OR (
      "t23"."in__comments_base" IS NULL
    )
    OR (
      "t23"."in__comments_base" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__comments" AS DOUBLE) / "t23"."in__comments_base"
    ) * 100
  END AS "kpi__talk_rate",
  CASE
    WHEN (
      "t23"."in__shares" IS NULL
    )
    OR (
      "t23"."in__shares_base" IS NULL
    )
    OR (
      "t23"."in__shares_base" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__shares" AS DOUBLE) / "t23"."in__shares_base"
    ) * 100
  END AS "kpi__amplification_rate",
  CASE
    WHEN (
      "t23"."in__interactions" IS NULL
    )
    OR (
      "t23"."in__er_day_base" IS NULL
    )
    OR (
      "t23"."in__er_day_base" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__interactions" AS DOUBLE) / "t23"."in__er_day_base"
    ) * 100
  END AS "kpi__er_day",
  CASE
    WHEN (
      "t23"."in__err_interactions" IS NULL
    )
    OR (
      "t23"."in__err_reach" IS NULL
    )
    OR (
      "t23"."in__err_reach" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__err_interactions" AS DOUBLE) / CAST("t23"."in__err_reach" AS DOUBLE)
    ) * 100
  END AS "kpi__err",
  CASE
    WHEN (
      "t23"."in__views" IS NULL
    )
    OR (
      "t23"."in__views_base" IS NULL
    )
    OR (
      "t23"."in__views_base" = 0
    )
    THEN CAST(NULL AS DOUBLE)
    ELSE (
      CAST("t23"."in__views" AS DOUBLE) / "t23"."in__views_base"
    ) * 100
  END AS "kpi__view_rate",
  "t23"."in__link_clicks" AS "kpi__link_clicks",
  "t23"."in__post_link_clicks" AS "kpi__post_link_clicks",
  "t23"."in__profile_visits" AS "kpi__profile_visits",
  "t23"."in__contact_clicks" AS "kpi__contact_clicks",
  "t23"."in__location_clicks" AS "kpi__location_clicks"
FROM (
  SELECT
    "t22"."account_id",
    "t22"."client_id",
    "t22"."period_index",
    COALESCE("t22"."d_rows", 0) AS "daily_rows",
    "t22"."d_followers_end" AS "in__followers_end",
    COALESCE("t22"."d_followers_n", 0) AS "rows__followers_end",
    COALESCE("t22"."d_followers_before", "t22"."d_followers_first") AS "in__followers_start",
    CAST(CASE
      WHEN COALESCE("t22"."d_followers_before", "t22"."d_followers_first") IS NOT NULL
      THEN 1
      ELSE 0
    END AS BIGINT) AS "rows__followers_start",
    "t22"."d_followers_avg" AS "in__followers_avg",
    COALESCE("t22"."d_followers_n", 0) AS "rows__followers_avg",
    "t22"."d_followers_gained" AS "in__followers_gained",
    COALESCE("t22"."d_followers_gained_n", 0) AS "rows__followers_gained",
    "t22"."d_followers_lost" AS "in__followers_lost",
    COALESCE("t22"."d_followers_lost_n", 0) AS "rows__followers_lost",
    CASE
      WHEN (
        "t22"."d_followers_gained" IS NOT NULL
      )
      AND (
        "t22"."d_followers_lost" IS NOT NULL
      )
      THEN "t22"."d_followers_gained" - "t22"."d_followers_lost"
      ELSE "t22"."d_followers_end" - COALESCE("t22"."d_followers_before", "t22"."d_followers_first")
    END AS "in__net_follower_growth",
    CASE
      WHEN (
        "t22"."d_followers_gained" IS NOT NULL
      )
      AND (
        "t22"."d_followers_lost" IS NOT NULL
      )
      THEN GREATEST(COALESCE("t22"."d_followers_gained_n", 0), COALESCE("t22"."d_followers_lost_n", 0))
      ELSE CASE
        WHEN (
          "t22"."d_followers_end" - COALESCE("t22"."d_followers_before", "t22"."d_followers_first")
        ) IS NOT NULL
        THEN 2
        ELSE 0
      END
    END AS "rows__net_follower_growth",
    "t22"."d_followers_end" - COALESCE("t22"."d_followers_before", "t22"."d_followers_first") AS "in__followers_change",
    CAST(CASE
      WHEN (
        "t22"."d_followers_end" - COALESCE("t22"."d_followers_before", "t22"."d_followers_first")
      ) IS NOT NULL
      THEN 2
      ELSE 0
    END AS BIGINT) AS "rows__followers_change",
    "t22"."d_reach" AS "in__reach",
    COALESCE("t22"."d_reach_n", 0) AS "rows__reach",
    "t22"."d_impressions" AS "in__impressions",
    COALESCE("t22"."d_impressions_n", 0) AS "rows__impressions",
    "t22"."d_profile_visits" AS "in__profile_visits",
    COALESCE("t22"."d_profile_visits_n", 0) AS "rows__profile_visits",
    "t22"."d_link_clicks" AS "in__link_clicks",
    COALESCE("t22"."d_link_clicks_n", 0) AS "rows__link_clicks",
    "t22"."d_contact_clicks" AS "in__contact_clicks",
    COALESCE("t22"."d_contact_clicks_n", 0) AS "rows__contact_clicks",
    "t22"."d_location_clicks" AS "in__location_clicks",
    COALESCE("t22"."d_location_clicks_n", 0) AS "rows__location_clicks",
    CAST("t22"."days" AS DOUBLE) * "t22"."d_followers_avg" AS "in__er_day_base",
    COALESCE("t22"."d_followers_n", 0) AS "rows__er_day_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_posts", 0)
      ELSE CAST(NULL AS BIGINT)
    END AS "in__posts",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_posts", 0)
      ELSE 0
    END AS "rows__posts",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_posts", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_interactions"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__interactions",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_interactions_n", 0)
      ELSE 0
    END AS "rows__interactions",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN "t22"."d_followers_avg" * CAST(COALESCE("t22"."p_interactions_n", 0) AS DOUBLE)
      ELSE CAST(NULL AS DOUBLE)
    END AS "in__er_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_interactions_n", 0)
      ELSE 0
    END AS "rows__er_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_posts", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_likes"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__likes",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_likes_n", 0)
      ELSE 0
    END AS "rows__likes",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN "t22"."d_followers_avg" * CAST(COALESCE("t22"."p_likes_n", 0) AS DOUBLE)
      ELSE CAST(NULL AS DOUBLE)
    END AS "in__likes_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_likes_n", 0)
      ELSE 0
    END AS "rows__likes_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_posts", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_comments"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__comments",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_comments_n", 0)
      ELSE 0
    END AS "rows__comments",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN "t22"."d_followers_avg" * CAST(COALESCE("t22"."p_comments_n", 0) AS DOUBLE)
      ELSE CAST(NULL AS DOUBLE)
    END AS "in__comments_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_comments_n", 0)
      ELSE 0
    END AS "rows__comments_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_posts", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_shares"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__shares",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_shares_n", 0)
      ELSE 0
    END AS "rows__shares",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN "t22"."d_followers_avg" * CAST(COALESCE("t22"."p_shares_n", 0) AS DOUBLE)
      ELSE CAST(NULL AS DOUBLE)
    END AS "in__shares_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_shares_n", 0)
      ELSE 0
    END AS "rows__shares_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_posts", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_views"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__views",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_views_n", 0)
      ELSE 0
    END AS "rows__views",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN "t22"."d_followers_avg" * CAST(COALESCE("t22"."p_views_n", 0) AS DOUBLE)
      ELSE CAST(NULL AS DOUBLE)
    END AS "in__views_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_views_n", 0)
      ELSE 0
    END AS "rows__views_base",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_posts", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_reach"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__post_reach",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_reach_n", 0)
      ELSE 0
    END AS "rows__post_reach",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_reach_n", 0)
      ELSE CAST(NULL AS BIGINT)
    END AS "in__posts_with_reach",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_reach_n", 0)
      ELSE 0
    END AS "rows__posts_with_reach",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_posts", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_reach_organic"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__post_reach_organic",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_reach_organic_n", 0)
      ELSE 0
    END AS "rows__post_reach_organic",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_posts", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_reach_viral"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__post_reach_viral",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_reach_viral_n", 0)
      ELSE 0
    END AS "rows__post_reach_viral",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_posts", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_reach_paid"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__post_reach_paid",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_reach_paid_n", 0)
      ELSE 0
    END AS "rows__post_reach_paid",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_split_n", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_split_organic"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__split_organic",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_split_n", 0)
      ELSE 0
    END AS "rows__split_organic",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_split_n", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_split_viral"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__split_viral",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_split_n", 0)
      ELSE 0
    END AS "rows__split_viral",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_split_n", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_split_paid"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__split_paid",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_split_n", 0)
      ELSE 0
    END AS "rows__split_paid",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE(
        CASE
          WHEN COALESCE("t22"."p_split_n", 0) = 0
          THEN CAST(0 AS BIGINT)
          ELSE "t22"."p_split_organic"
        END,
        0
      ) + COALESCE(
        CASE
          WHEN COALESCE("t22"."p_split_n", 0) = 0
          THEN CAST(0 AS BIGINT)
          ELSE "t22"."p_split_viral"
        END,
        0
      ) + COALESCE(
        CASE
          WHEN COALESCE("t22"."p_split_n", 0) = 0
          THEN CAST(0 AS BIGINT)
          ELSE "t22"."p_split_paid"
        END,
        0
      )
      ELSE CAST(NULL AS BIGINT)
    END AS "in__split_total",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_split_n", 0)
      ELSE 0
    END AS "rows__split_total",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_err_n", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_err_interactions"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__err_interactions",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_err_n", 0)
      ELSE 0
    END AS "rows__err_interactions",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_err_n", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_err_reach"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__err_reach",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_err_n", 0)
      ELSE 0
    END AS "rows__err_reach",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN CASE
        WHEN COALESCE("t22"."p_posts", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t22"."p_link_clicks"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__post_link_clicks",
    CASE
      WHEN COALESCE("t22"."has_posts", FALSE)
      THEN COALESCE("t22"."p_link_clicks_n", 0)
      ELSE 0
    END AS "rows__post_link_clicks"
  FROM (
    SELECT
      "t4"."account_id",
      "t4"."client_id",
      "t5"."period_index",
      "t5"."start_date",
      "t5"."end_date",
      "t5"."lookback_date",
      "t5"."days",
      "t5"."start_utc",
      "t5"."end_utc",
      "t5"."has_brand_tags",
      "t19"."d_followers_end",
      "t19"."d_followers_first",
      "t19"."d_followers_before",
      "t19"."d_followers_avg",
      "t19"."d_followers_n",
      "t19"."d_rows",
      "t19"."d_followers_gained",
      "t19"."d_followers_gained_n",
      "t19"."d_followers_lost",
      "t19"."d_followers_lost_n",
      "t19"."d_reach",
      "t19"."d_reach_n",
      "t19"."d_impressions",
      "t19"."d_impressions_n",
      "t19"."d_profile_visits",
      "t19"."d_profile_visits_n",
      "t19"."d_link_clicks",
      "t19"."d_link_clicks_n",
      "t19"."d_contact_clicks",
      "t19"."d_contact_clicks_n",
      "t19"."d_location_clicks",
      "t19"."d_location_clicks_n",
      "t21"."p_posts",
      "t21"."p_interactions",
      "t21"."p_interactions_n",
      "t21"."p_err_interactions",
      "t21"."p_err_reach",
      "t21"."p_err_n",
      "t21"."p_split_organic",
      "t21"."p_split_viral",
      "t21"."p_split_paid",
      "t21"."p_split_n",
      "t21"."p_likes",
      "t21"."p_likes_n",
      "t21"."p_comments",
      "t21"."p_comments_n",
      "t21"."p_shares",
      "t21"."p_shares_n",
      "t21"."p_views",
      "t21"."p_views_n",
      "t21"."p_reach",
      "t21"."p_reach_n",
      "t21"."p_reach_organic",
      "t21"."p_reach_organic_n",
      "t21"."p_reach_viral",
      "t21"."p_reach_viral_n",
      "t21"."p_reach_paid",
      "t21"."p_reach_paid_n",
      "t21"."p_link_clicks",
      "t21"."p_link_clicks_n",
      "t13"."has_posts"
    FROM "accounts" AS "t4"
    INNER JOIN "kpi_bounds" AS "t5"
      ON "t4"."client_id" = "t5"."client_id"
    LEFT OUTER JOIN (
      SELECT
        "t16"."account_id",
        "t16"."period_index",
        FIRST("t16"."followers" ORDER BY "t16"."date" DESC) FILTER(WHERE
          (
            "t16"."date" >= "t16"."start_date"
          ) AND (
            "t16"."followers" IS NOT NULL
          )) AS "d_followers_end",
        FIRST("t16"."followers" ORDER BY "t16"."date") FILTER(WHERE
          (
            "t16"."date" >= "t16"."start_date"
          ) AND (
            "t16"."followers" IS NOT NULL
          )) AS "d_followers_first",
        FIRST("t16"."followers" ORDER BY "t16"."date" DESC) FILTER(WHERE
          (
            "t16"."date" < "t16"."start_date"
          ) AND (
            "t16"."followers" IS NOT NULL
          )) AS "d_followers_before",
        AVG("t16"."followers") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_followers_avg",
        COUNT("t16"."followers") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_followers_n",
        COUNT(*) FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_rows",
        SUM("t16"."followers_gained") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_followers_gained",
        COUNT("t16"."followers_gained") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_followers_gained_n",
        SUM("t16"."followers_lost") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_followers_lost",
        COUNT("t16"."followers_lost") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_followers_lost_n",
        SUM("t16"."reach") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_reach",
        COUNT("t16"."reach") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_reach_n",
        SUM("t16"."impressions") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_impressions",
        COUNT("t16"."impressions") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_impressions_n",
        SUM("t16"."profile_visits") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_profile_visits",
        COUNT("t16"."profile_visits") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_profile_visits_n",
        SUM("t16"."link_clicks") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_link_clicks",
        COUNT("t16"."link_clicks") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_link_clicks_n",
        SUM("t16"."contact_clicks") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_contact_clicks",
        COUNT("t16"."contact_clicks") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_contact_clicks_n",
        SUM("t16"."location_clicks") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_location_clicks",
        COUNT("t16"."location_clicks") FILTER(WHERE
          "t16"."date" >= "t16"."start_date") AS "d_location_clicks_n"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t6"."account_id",
            "t6"."date",
            "t6"."followers",
            "t6"."followers_gained",
            "t6"."followers_lost",
            "t6"."reach",
            "t6"."impressions",
            "t6"."profile_visits",
            "t6"."link_clicks",
            "t6"."contact_clicks",
            "t6"."location_clicks",
            "t6"."import_id",
            "t11"."period_index",
            "t11"."start_date",
            "t11"."end_date",
            "t11"."lookback_date"
          FROM "account_daily" AS "t6"
          INNER JOIN (
            SELECT
              "t4"."account_id",
              "t4"."client_id",
              "t5"."period_index",
              "t5"."start_date",
              "t5"."end_date",
              "t5"."lookback_date",
              "t5"."days",
              "t5"."start_utc",
              "t5"."end_utc",
              "t5"."has_brand_tags"
            FROM "accounts" AS "t4"
            INNER JOIN "kpi_bounds" AS "t5"
              ON "t4"."client_id" = "t5"."client_id"
          ) AS "t11"
            ON "t6"."account_id" = "t11"."account_id"
        ) AS "t14"
        WHERE
          "t14"."date" >= "t14"."lookback_date" AND "t14"."date" <= "t14"."end_date"
      ) AS "t16"
      GROUP BY
        1,
        2
    ) AS "t19"
      ON "t4"."account_id" = "t19"."account_id"
      AND "t5"."period_index" = "t19"."period_index"
    LEFT OUTER JOIN (
      SELECT
        "t17"."account_id",
        "t17"."period_index",
        COUNT(*) AS "p_posts",
        SUM("t17"."ia") AS "p_interactions",
        COUNT("t17"."ia") AS "p_interactions_n",
        SUM("t17"."ia") FILTER(WHERE
          (
            "t17"."ia" IS NOT NULL
          ) AND (
            "t17"."reach" > 0
          )) AS "p_err_interactions",
        SUM("t17"."reach") FILTER(WHERE
          (
            "t17"."ia" IS NOT NULL
          ) AND (
            "t17"."reach" > 0
          )) AS "p_err_reach",
        COUNT(*) FILTER(WHERE
          (
            "t17"."ia" IS NOT NULL
          ) AND (
            "t17"."reach" > 0
          )) AS "p_err_n",
        SUM("t17"."reach_organic") FILTER(WHERE
          (
            "t17"."reach_organic" IS NOT NULL
          )
          AND (
            "t17"."reach_viral" IS NOT NULL
          )
          AND (
            "t17"."reach_paid" IS NOT NULL
          )) AS "p_split_organic",
        SUM("t17"."reach_viral") FILTER(WHERE
          (
            "t17"."reach_organic" IS NOT NULL
          )
          AND (
            "t17"."reach_viral" IS NOT NULL
          )
          AND (
            "t17"."reach_paid" IS NOT NULL
          )) AS "p_split_viral",
        SUM("t17"."reach_paid") FILTER(WHERE
          (
            "t17"."reach_organic" IS NOT NULL
          )
          AND (
            "t17"."reach_viral" IS NOT NULL
          )
          AND (
            "t17"."reach_paid" IS NOT NULL
          )) AS "p_split_paid",
        COUNT(*) FILTER(WHERE
          (
            "t17"."reach_organic" IS NOT NULL
          )
          AND (
            "t17"."reach_viral" IS NOT NULL
          )
          AND (
            "t17"."reach_paid" IS NOT NULL
          )) AS "p_split_n",
        SUM("t17"."likes") AS "p_likes",
        COUNT("t17"."likes") AS "p_likes_n",
        SUM("t17"."comments") AS "p_comments",
        COUNT("t17"."comments") AS "p_comments_n",
        SUM("t17"."shares") AS "p_shares",
        COUNT("t17"."shares") AS "p_shares_n",
        SUM("t17"."views") AS "p_views",
        COUNT("t17"."views") AS "p_views_n",
        SUM("t17"."reach") AS "p_reach",
        COUNT("t17"."reach") AS "p_reach_n",
        SUM("t17"."reach_organic") AS "p_reach_organic",
        COUNT("t17"."reach_organic") AS "p_reach_organic_n",
        SUM("t17"."reach_viral") AS "p_reach_viral",
        COUNT("t17"."reach_viral") AS "p_reach_viral_n",
        SUM("t17"."reach_paid") AS "p_reach_paid",
        COUNT("t17"."reach_paid") AS "p_reach_paid_n",
        SUM("t17"."link_clicks") AS "p_link_clicks",
        COUNT("t17"."link_clicks") AS "p_link_clicks_n"
      FROM (
        SELECT
          "t15"."account_id",
          "t15"."post_id",
          "t15"."published_at",
          "t15"."kind",
          "t15"."text",
          "t15"."url",
          "t15"."likes",
          "t15"."comments",
          "t15"."shares",
          "t15"."saves",
          "t15"."views",
          "t15"."reach",
          "t15"."reach_organic",
          "t15"."reach_viral",
          "t15"."reach_paid",
          "t15"."link_clicks",
          "t15"."captured_at",
          "t15"."attributes",
          "t15"."import_id",
          "t15"."period_index",
          "t15"."start_utc",
          "t15"."end_utc",
          CASE
            WHEN (
              "t15"."likes" IS NULL
            )
            AND (
              "t15"."comments" IS NULL
            )
            AND (
              "t15"."shares" IS NULL
            )
            AND (
              "t15"."saves" IS NULL
            )
            THEN CAST(NULL AS BIGINT)
            ELSE COALESCE("t15"."likes", 0) + COALESCE("t15"."comments", 0) + COALESCE("t15"."shares", 0) + COALESCE("t15"."saves", 0)
          END AS "ia"
        FROM (
          SELECT
            "t7"."account_id",
            "t7"."post_id",
            "t7"."published_at",
            "t7"."kind",
            "t7"."text",
            "t7"."url",
            "t7"."likes",
            "t7"."comments",
            "t7"."shares",
            "t7"."saves",
            "t7"."views",
            "t7"."reach",
            "t7"."reach_organic",
            "t7"."reach_viral",
            "t7"."reach_paid",
            "t7"."link_clicks",
            "t7"."captured_at",
            "t7"."attributes",
            "t7"."import_id",
            "t11"."period_index",
            "t11"."start_utc",
            "t11"."end_utc"
          FROM "posts" AS "t7"
          INNER JOIN (
            SELECT
              "t4"."account_id",
              "t4"."client_id",
              "t5"."period_index",
              "t5"."start_date",
              "t5"."end_date",
              "t5"."lookback_date",
              "t5"."days",
              "t5"."start_utc",
              "t5"."end_utc",
              "t5"."has_brand_tags"
            FROM "accounts" AS "t4"
            INNER JOIN "kpi_bounds" AS "t5"
              ON "t4"."client_id" = "t5"."client_id"
          ) AS "t11"
            ON "t7"."account_id" = "t11"."account_id"
        ) AS "t15"
        WHERE
          "t15"."published_at" >= "t15"."start_utc"
          AND "t15"."published_at" < "t15"."end_utc"
      ) AS "t17"
      GROUP BY
        1,
        2
    ) AS "t21"
      ON "t4"."account_id" = "t21"."account_id"
      AND "t5"."period_index" = "t21"."period_index"
    LEFT OUTER JOIN (
      SELECT
        "t9"."account_id",
        TRUE AS "has_posts"
      FROM (
        SELECT
          *
        FROM "accounts" AS "t0"
        WHERE
          "t0"."account_id" IN (
            SELECT
              "t3"."account_id"
            FROM "posts" AS "t3"
          )
      ) AS "t9"
    ) AS "t13"
      ON "t4"."account_id" = "t13"."account_id"
  ) AS "t22"
) AS "t23"
