WITH "t19" AS (
  SELECT
    "t10"."client_id",
    "t8"."period_index",
    "t10"."mention_id",
    "t10"."tags",
    (
      "t10"."published_at" >= "t8"."start_utc"
    )
    AND (
      "t10"."published_at" < "t8"."end_utc"
    ) AS "in_period"
  FROM "mentions" AS "t10"
  INNER JOIN "kpi_bounds" AS "t8"
    ON "t10"."client_id" = "t8"."client_id"
), "t31" AS (
  SELECT
    "t22"."client_id",
    "t22"."sale_id",
    "t22"."lead_id",
    "t22"."closed_at",
    "t22"."amount",
    "t22"."utm_source",
    "t22"."utm_medium",
    "t22"."utm_campaign",
    "t22"."utm_content",
    "t22"."utm_term",
    "t22"."channel",
    "t22"."import_id",
    "t22"."period_index",
    "t22"."in_period",
    LOWER(TRIM(' 	
' FROM "t22"."utm_source")) AS "own_utm_source",
    LOWER(TRIM(' 	
' FROM "t22"."utm_medium")) AS "own_utm_medium",
    LOWER(TRIM(' 	
' FROM "t22"."utm_campaign")) AS "own_utm_campaign",
    LOWER(TRIM(' 	
' FROM "t22"."utm_content")) AS "own_utm_content",
    LOWER(TRIM(' 	
' FROM "t22"."utm_term")) AS "own_utm_term",
    LOWER(TRIM(' 	
' FROM "t22"."channel")) AS "own_channel"
  FROM (
    SELECT
      "t14"."client_id",
      "t14"."sale_id",
      "t14"."lead_id",
      "t14"."closed_at",
      "t14"."amount",
      "t14"."utm_source",
      "t14"."utm_medium",
      "t14"."utm_campaign",
      "t14"."utm_content",
      "t14"."utm_term",
      "t14"."channel",
      "t14"."import_id",
      "t8"."period_index",
      (
        "t14"."closed_at" >= "t8"."start_utc"
      )
      AND (
        "t14"."closed_at" < "t8"."end_utc"
      ) AS "in_period"
    FROM "sales" AS "t14"
    INNER JOIN "kpi_bounds" AS "t8"
      ON "t14"."client_id" = "t8"."client_id"
  ) AS "t22"
)
SELECT
  "t62"."client_id",
  "t62"."period_index",
  COALESCE("t62"."inherited", 0) AS "sales_inheriting_lead_utm",
  "t62"."kpi__followers",
  "t62"."kpi__followers_start",
  "t62"."kpi__followers_avg",
  "t62"."kpi__followers_gained",
  "t62"."kpi__followers_lost",
  "t62"."kpi__net_follower_growth",
  "t62"."kpi__follower_growth_rate",
  "t62"."kpi__churn_rate",
  "t62"."kpi__audience_renewal_rate",
  "t62"."kpi__reach",
  "t62"."kpi__impressions",
  "t62"."kpi__post_reach",
  "t62"."kpi__avg_post_reach",
  "t62"."kpi__post_reach_organic",
  "t62"."kpi__post_reach_viral",
  "t62"."kpi__post_reach_paid",
  "t62"."kpi__organic_reach_share",
  "t62"."kpi__viral_reach_share",
  "t62"."kpi__paid_reach_share",
  "t62"."in__mentions" AS "kpi__mentions",
  "t62"."in__branded_hashtag_posts" AS "kpi__branded_hashtag_posts",
  "t62"."kpi__posts",
  "t62"."kpi__interactions",
  "t62"."kpi__er",
  "t62"."kpi__like_rate",
  "t62"."kpi__talk_rate",
  "t62"."kpi__amplification_rate",
  "t62"."kpi__er_day",
  "t62"."kpi__err",
  "t62"."kpi__view_rate",
  "t62"."kpi__link_clicks",
  "t62"."kpi__post_link_clicks",
  "t62"."kpi__profile_visits",
  "t62"."kpi__contact_clicks",
  "t62"."kpi__location_clicks",
  "t62"."in__site_sessions" AS "kpi__site_sessions",
  "t62"."in__site_goal_completions" AS "kpi__site_goal_completions",
  "t62"."in__leads" AS "kpi__leads",
  "t62"."in__sales" AS "kpi__sales",
  "t62"."in__revenue" AS "kpi__revenue",
  "t62"."in__ad_spend" AS "kpi__ad_spend",
  CASE
    WHEN (
      "t62"."in__ad_spend" IS NULL
    )
    OR (
      "t62"."in__leads" IS NULL
    )
    OR (
      "t62"."in__leads" = 0
    )
    THEN CAST(NULL AS DOUBLE PRECISION)
    ELSE CAST("t62"."in__ad_spend" AS DOUBLE PRECISION) / CAST("t62"."in__leads" AS DOUBLE PRECISION)
  END AS "kpi__cpl",
  CASE
    WHEN (
      "t62"."in__ad_spend" IS NULL
    )
    OR (
      "t62"."in__sales" IS NULL
    )
    OR (
      "t62"."in__sales" = 0
    )
    THEN CAST(NULL AS DOUBLE PRECISION)
    ELSE CAST("t62"."in__ad_spend" AS DOUBLE PRECISION) / CAST("t62"."in__sales" AS DOUBLE PRECISION)
  END AS "kpi__cost_per_sale",
  CASE
    WHEN (
      "t62"."in__revenue_minus_spend" IS NULL
    )
    OR (
      "t62"."in__ad_spend" IS NULL
    )
    OR (
      "t62"."in__ad_spend" = 0
    )
    THEN CAST(NULL AS DOUBLE PRECISION)
    ELSE (
      CAST("t62"."in__revenue_minus_spend" AS DOUBLE PRECISION) / CAST("t62"."in__ad_spend" AS DOUBLE PRECISION)
    ) * 100
  END AS "kpi__romi",
  CASE
    WHEN (
      "t62"."in__leads" IS NULL
    )
    OR (
      "t62"."in__site_sessions" IS NULL
    )
    OR (
      "t62"."in__site_sessions" = 0
    )
    THEN CAST(NULL AS DOUBLE PRECISION)
    ELSE (
      CAST("t62"."in__leads" AS DOUBLE PRECISION) / CAST("t62"."in__site_sessions" AS DOUBLE PRECISION)
    ) * 100
  END AS "kpi__lead_conversion_rate",
  CASE
    WHEN (
      "t62"."in__sales" IS NULL
    )
    OR (
      "t62"."in__leads" IS NULL
    )
    OR (
      "t62"."in__leads" = 0
    )
    THEN CAST(NULL AS DOUBLE PRECISION)
    ELSE (
      CAST("t62"."in__sales" AS DOUBLE PRECISION) / CAST("t62"."in__leads" AS DOUBLE PRECISION)
    ) * 100
  END AS "kpi__lead_to_sale_rate"
FROM (
  SELECT
    "t61"."client_id",
    "t61"."period_index",
    "t61"."has_brand_tags",
    "t61"."mentions_ever",
    "t61"."mentions",
    "t61"."branded",
    "t61"."sessions_known",
    "t61"."goals_known",
    "t61"."social_rows",
    "t61"."social_sessions",
    "t61"."social_sessions_n",
    "t61"."social_goals",
    "t61"."social_goals_n",
    "t61"."leads_ever",
    "t61"."leads",
    "t61"."sales_ever",
    "t61"."sales",
    "t61"."inherited",
    "t61"."revenue",
    "t61"."revenue_n",
    "t61"."ad_spend",
    "t61"."ad_spend_n",
    "t61"."kpi__followers",
    "t61"."kpi__followers_start",
    "t61"."kpi__followers_avg",
    "t61"."kpi__followers_gained",
    "t61"."kpi__followers_lost",
    "t61"."kpi__net_follower_growth",
    "t61"."kpi__follower_growth_rate",
    "t61"."kpi__churn_rate",
    "t61"."kpi__audience_renewal_rate",
    "t61"."kpi__reach",
    "t61"."kpi__impressions",
    "t61"."kpi__post_reach",
    "t61"."kpi__avg_post_reach",
    "t61"."kpi__post_reach_organic",
    "t61"."kpi__post_reach_viral",
    "t61"."kpi__post_reach_paid",
    "t61"."kpi__organic_reach_share",
    "t61"."kpi__viral_reach_share",
    "t61"."kpi__paid_reach_share",
    "t61"."kpi__posts",
    "t61"."kpi__interactions",
    "t61"."kpi__er",
    "t61"."kpi__like_rate",
    "t61"."kpi__talk_rate",
    "t61"."kpi__amplification_rate",
    "t61"."kpi__er_day",
    "t61"."kpi__err",
    "t61"."kpi__view_rate",
    "t61"."kpi__link_clicks",
    "t61"."kpi__post_link_clicks",
    "t61"."kpi__profile_visits",
    "t61"."kpi__contact_clicks",
    "t61"."kpi__location_clicks",
    CASE
      WHEN "t61"."mentions_ever" IS NOT NULL
      THEN COALESCE("t61"."mentions", 0)
      ELSE CAST(NULL AS BIGINT)
    END AS "in__mentions",
    CASE
      WHEN "t61"."mentions_ever" IS NOT NULL
      THEN COALESCE("t61"."mentions", 0)
      ELSE 0
    END AS "rows__mentions",
    CASE
      WHEN (
        "t61"."mentions_ever" IS NOT NULL
      ) AND "t61"."has_brand_tags"
      THEN COALESCE("t61"."branded", 0)
      ELSE CAST(NULL AS BIGINT)
    END AS "in__branded_hashtag_posts",
    CASE
      WHEN (
        "t61"."mentions_ever" IS NOT NULL
      ) AND "t61"."has_brand_tags"
      THEN COALESCE("t61"."mentions", 0)
      ELSE 0
    END AS "rows__branded_hashtag_posts",
    CASE
      WHEN COALESCE("t61"."sessions_known", 0) > 0
      THEN CASE
        WHEN COALESCE("t61"."social_rows", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t61"."social_sessions"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__site_sessions",
    CASE
      WHEN COALESCE("t61"."sessions_known", 0) > 0
      THEN COALESCE("t61"."social_sessions_n", 0)
      ELSE 0
    END AS "rows__site_sessions",
    CASE
      WHEN COALESCE("t61"."goals_known", 0) > 0
      THEN CASE
        WHEN COALESCE("t61"."social_rows", 0) = 0
        THEN CAST(0 AS BIGINT)
        ELSE "t61"."social_goals"
      END
      ELSE CAST(NULL AS BIGINT)
    END AS "in__site_goal_completions",
    CASE
      WHEN COALESCE("t61"."goals_known", 0) > 0
      THEN COALESCE("t61"."social_goals_n", 0)
      ELSE 0
    END AS "rows__site_goal_completions",
    CASE
      WHEN "t61"."leads_ever" IS NOT NULL
      THEN COALESCE("t61"."leads", 0)
      ELSE CAST(NULL AS BIGINT)
    END AS "in__leads",
    CASE WHEN "t61"."leads_ever" IS NOT NULL THEN COALESCE("t61"."leads", 0) ELSE 0 END AS "rows__leads",
    CASE
      WHEN "t61"."sales_ever" IS NOT NULL
      THEN COALESCE("t61"."sales", 0)
      ELSE CAST(NULL AS BIGINT)
    END AS "in__sales",
    CASE WHEN "t61"."sales_ever" IS NOT NULL THEN COALESCE("t61"."sales", 0) ELSE 0 END AS "rows__sales",
    CASE
      WHEN "t61"."sales_ever" IS NOT NULL
      THEN CASE
        WHEN COALESCE("t61"."sales", 0) = 0
        THEN CAST(0 AS DECIMAL(38, 4))
        ELSE "t61"."revenue"
      END
      ELSE CAST(NULL AS DECIMAL(38, 4))
    END AS "in__revenue",
    CASE
      WHEN "t61"."sales_ever" IS NOT NULL
      THEN COALESCE("t61"."revenue_n", 0)
      ELSE 0
    END AS "rows__revenue",
    CASE
      WHEN COALESCE("t61"."ad_spend_n", 0) > 0
      THEN "t61"."ad_spend"
      ELSE CAST(NULL AS DECIMAL(38, 4))
    END AS "in__ad_spend",
    CASE
      WHEN COALESCE("t61"."ad_spend_n", 0) > 0
      THEN COALESCE("t61"."ad_spend_n", 0)
      ELSE 0
    END AS "rows__ad_spend",
    CASE
      WHEN "t61"."sales_ever" IS NOT NULL
      THEN CASE
        WHEN COALESCE("t61"."sales", 0) = 0
        THEN CAST(0 AS DECIMAL(38, 4))
        ELSE "t61"."revenue"
      END
      ELSE CAST(NULL AS DECIMAL(38, 4))
    END - CASE
      WHEN COALESCE("t61"."ad_spend_n", 0) > 0
      THEN "t61"."ad_spend"
      ELSE CAST(NULL AS DECIMAL(38, 4))
    END AS "in__revenue_minus_spend",
    CASE
      WHEN "t61"."sales_ever" IS NOT NULL
      THEN COALESCE("t61"."revenue_n", 0)
      ELSE 0
    END + CASE
      WHEN COALESCE("t61"."ad_spend_n", 0) > 0
      THEN COALESCE("t61"."ad_spend_n", 0)
      ELSE 0
    END AS "rows__revenue_minus_spend"
  FROM (
    SELECT
      "t17"."client_id",
      "t17"."period_index",
      "t17"."has_brand_tags",
      "t48"."mentions_ever",
      "t48"."mentions",
      "t48"."branded",
      "t52"."sessions_known",
      "t52"."goals_known",
      "t52"."social_rows",
      "t52"."social_sessions",
      "t52"."social_sessions_n",
      "t52"."social_goals",
      "t52"."social_goals_n",
      "t56"."leads_ever",
      "t56"."leads",
      "t60"."sales_ever",
      "t60"."sales",
      "t60"."inherited",
      "t60"."revenue",
      "t60"."revenue_n",
      "t36"."ad_spend",
      "t36"."ad_spend_n",
      "t32"."kpi__followers",
      "t32"."kpi__followers_start",
      "t32"."kpi__followers_avg",
      "t32"."kpi__followers_gained",
      "t32"."kpi__followers_lost",
      "t32"."kpi__net_follower_growth",
      "t32"."kpi__follower_growth_rate",
      "t32"."kpi__churn_rate",
      "t32"."kpi__audience_renewal_rate",
      "t32"."kpi__reach",
      "t32"."kpi__impressions",
      "t32"."kpi__post_reach",
      "t32"."kpi__avg_post_reach",
      "t32"."kpi__post_reach_organic",
      "t32"."kpi__post_reach_viral",
      "t32"."kpi__post_reach_paid",
      "t32"."kpi__organic_reach_share",
      "t32"."kpi__viral_reach_share",
      "t32"."kpi__paid_reach_share",
      "t32"."kpi__posts",
      "t32"."kpi__interactions",
      "t32"."kpi__er",
      "t32"."kpi__like_rate",
      "t32"."kpi__talk_rate",
      "t32"."kpi__amplification_rate",
      "t32"."kpi__er_day",
      "t32"."kpi__err",
      "t32"."kpi__view_rate",
      "t32"."kpi__link_clicks",
      "t32"."kpi__post_link_clicks",
      "t32"."kpi__profile_visits",
      "t32"."kpi__contact_clicks",
      "t32"."kpi__location_clicks"
    FROM (
      SELECT
        "t0"."client_id",
        "t0"."period_index",
        "t0"."has_brand_tags"
      FROM "kpi_bounds" AS "t0"
    ) AS "t17"
    LEFT OUTER JOIN (
      SELECT
        "t33"."client_id",
        "t33"."period_index",
        "t33"."mentions_ever",
        "t33"."mentions",
        "t41"."branded"
      FROM (
        SELECT
          "t23"."client_id",
          "t23"."period_index",
          COUNT(*) AS "mentions_ever",
          COUNT(*) FILTER(WHERE
            "t23"."in_period") AS "mentions"
        FROM "t19" AS "t23"
        GROUP BY
          1,
          2
      ) AS "t33"
      LEFT OUTER JOIN (
        SELECT
          "t38"."client_id",
          "t38"."period_index",
          COUNT(DISTINCT "t38"."mention_id") AS "branded"
        FROM (
          SELECT
            "t28"."client_id",
            "t28"."period_index",
            "t28"."mention_id",
            "t28"."tags",
            "t28"."in_period",
            "t13"."client_id" AS "client_id_right",
            "t13"."tag"
          FROM (
            SELECT
              *
            FROM "t19" AS "t23"
            WHERE
              "t23"."in_period"
          ) AS "t28"
          INNER JOIN "kpi_brand_tags" AS "t13"
            ON "t28"."client_id" = "t13"."client_id"
            AND POSITION("t13"."tag" IN "t28"."tags") > 0
        ) AS "t38"
        GROUP BY
          1,
          2
      ) AS "t41"
        ON "t33"."client_id" = "t41"."client_id"
        AND "t33"."period_index" = "t41"."period_index"
    ) AS "t48"
      ON "t17"."client_id" = "t48"."client_id"
      AND "t17"."period_index" = "t48"."period_index"
    LEFT OUTER JOIN (
      SELECT
        "t49"."client_id",
        "t49"."period_index",
        COUNT("t49"."sessions") AS "sessions_known",
        COUNT("t49"."goal_completions") AS "goals_known",
        COUNT(*) FILTER(WHERE
          "t49"."social") AS "social_rows",
        SUM("t49"."sessions") FILTER(WHERE
          "t49"."social") AS "social_sessions",
        COUNT("t49"."sessions") FILTER(WHERE
          "t49"."social") AS "social_sessions_n",
        SUM("t49"."goal_completions") FILTER(WHERE
          "t49"."social") AS "social_goals",
        COUNT("t49"."goal_completions") FILTER(WHERE
          "t49"."social") AS "social_goals_n"
      FROM (
        SELECT
          "t42"."client_id",
          "t42"."date",
          "t42"."utm_source",
          "t42"."utm_medium",
          "t42"."utm_campaign",
          "t42"."utm_content",
          "t42"."utm_term",
          "t42"."sessions",
          "t42"."users",
          "t42"."goal_completions",
          "t42"."import_id",
          "t42"."period_index",
          "t42"."start_date",
          "t42"."end_date",
          "t42"."source_clean",
          "t42"."medium_clean",
          COALESCE(
            "t42"."medium_clean" IN (
              'social',
              'smm',
              'social-media',
              'social_media',
              'paid_social',
              'paid-social',
              'socialmedia',
              'post',
              'stories',
              'reels'
            ),
            FALSE
          )
          OR COALESCE(
            "t42"."source_clean" IN (
              'vk',
              'vkontakte',
              'vk.com',
              'telegram',
              'tg',
              't.me',
              'instagram',
              'ig',
              'facebook',
              'fb',
              'youtube',
              'yt',
              'tiktok',
              'ok',
              'odnoklassniki',
              'dzen',
              'zen',
              'x',
              'twitter'
            ),
            FALSE
          ) AS "social"
        FROM (
          SELECT
            "t29"."client_id",
            "t29"."date",
            "t29"."utm_source",
            "t29"."utm_medium",
            "t29"."utm_campaign",
            "t29"."utm_content",
            "t29"."utm_term",
            "t29"."sessions",
            "t29"."users",
            "t29"."goal_completions",
            "t29"."import_id",
            "t29"."period_index",
            "t29"."start_date",
            "t29"."end_date",
            CASE
              WHEN (
                "t29"."source_clean" = ''
              )
              OR (
                STARTS_WITH("t29"."source_clean", '{')
                AND (
                  RIGHT("t29"."source_clean", LENGTH('}')) = '}'
                )
                AND (
                  LENGTH(REPLACE("t29"."source_clean", '{', '')) = (
                    LENGTH("t29"."source_clean") - 1
                  )
                )
                AND (
                  LENGTH(REPLACE("t29"."source_clean", '}', '')) = (
                    LENGTH("t29"."source_clean") - 1
                  )
                )
              )
              THEN CAST(NULL AS VARCHAR)
              ELSE "t29"."source_clean"
            END AS "source_clean",
            CASE
              WHEN (
                "t29"."medium_clean" = ''
              )
              OR (
                STARTS_WITH("t29"."medium_clean", '{')
                AND (
                  RIGHT("t29"."medium_clean", LENGTH('}')) = '}'
                )
                AND (
                  LENGTH(REPLACE("t29"."medium_clean", '{', '')) = (
                    LENGTH("t29"."medium_clean") - 1
                  )
                )
                AND (
                  LENGTH(REPLACE("t29"."medium_clean", '}', '')) = (
                    LENGTH("t29"."medium_clean") - 1
                  )
                )
              )
              THEN CAST(NULL AS VARCHAR)
              ELSE "t29"."medium_clean"
            END AS "medium_clean"
          FROM (
            SELECT
              "t20"."client_id",
              "t20"."date",
              "t20"."utm_source",
              "t20"."utm_medium",
              "t20"."utm_campaign",
              "t20"."utm_content",
              "t20"."utm_term",
              "t20"."sessions",
              "t20"."users",
              "t20"."goal_completions",
              "t20"."import_id",
              "t20"."period_index",
              "t20"."start_date",
              "t20"."end_date",
              LOWER(TRIM(' 	
' FROM "t20"."utm_source")) AS "source_clean",
              LOWER(TRIM(' 	
' FROM "t20"."utm_medium")) AS "medium_clean"
            FROM (
              SELECT
                "t11"."client_id",
                "t11"."date",
                "t11"."utm_source",
                "t11"."utm_medium",
                "t11"."utm_campaign",
                "t11"."utm_content",
                "t11"."utm_term",
                "t11"."sessions",
                "t11"."users",
                "t11"."goal_completions",
                "t11"."import_id",
                "t8"."period_index",
                "t8"."start_date",
                "t8"."end_date"
              FROM "web_sessions" AS "t11"
              INNER JOIN "kpi_bounds" AS "t8"
                ON "t11"."client_id" = "t8"."client_id"
            ) AS "t20"
            WHERE
              "t20"."date" >= "t20"."start_date" AND "t20"."date" <= "t20"."end_date"
          ) AS "t29"
        ) AS "t42"
      ) AS "t49"
      GROUP BY
        1,
        2
    ) AS "t52"
      ON "t17"."client_id" = "t52"."client_id"
      AND "t17"."period_index" = "t52"."period_index"
    LEFT OUTER JOIN (
      SELECT
        "t50"."client_id",
        "t50"."period_index",
        COUNT(*) AS "leads_ever",
        COUNT(*) FILTER(WHERE
          "t50"."in_period" AND "t50"."social") AS "leads"
      FROM (
        SELECT
          "t43"."client_id",
          "t43"."period_index",
          "t43"."utm_source",
          "t43"."utm_medium",
          "t43"."channel",
          "t43"."in_period",
          "t43"."source",
          "t43"."medium",
          "t43"."channel_clean",
          COALESCE(
            "t43"."medium" IN (
              'social',
              'smm',
              'social-media',
              'social_media',
              'paid_social',
              'paid-social',
              'socialmedia',
              'post',
              'stories',
              'reels'
            ),
            FALSE
          )
          OR COALESCE(
            COALESCE("t43"."source", "t43"."channel_clean") IN (
              'vk',
              'vkontakte',
              'vk.com',
              'telegram',
              'tg',
              't.me',
              'instagram',
              'ig',
              'facebook',
              'fb',
              'youtube',
              'yt',
              'tiktok',
              'ok',
              'odnoklassniki',
              'dzen',
              'zen',
              'x',
              'twitter'
            ),
            FALSE
          ) AS "social"
        FROM (
          SELECT
            "t30"."client_id",
            "t30"."period_index",
            "t30"."utm_source",
            "t30"."utm_medium",
            "t30"."channel",
            "t30"."in_period",
            CASE
              WHEN (
                "t30"."source" = ''
              )
              OR (
                STARTS_WITH("t30"."source", '{')
                AND (
                  RIGHT("t30"."source", LENGTH('}')) = '}'
                )
                AND (
                  LENGTH(REPLACE("t30"."source", '{', '')) = (
                    LENGTH("t30"."source") - 1
                  )
                )
                AND (
                  LENGTH(REPLACE("t30"."source", '}', '')) = (
                    LENGTH("t30"."source") - 1
                  )
                )
              )
              THEN CAST(NULL AS VARCHAR)
              ELSE "t30"."source"
            END AS "source",
            CASE
              WHEN (
                "t30"."medium" = ''
              )
              OR (
                STARTS_WITH("t30"."medium", '{')
                AND (
                  RIGHT("t30"."medium", LENGTH('}')) = '}'
                )
                AND (
                  LENGTH(REPLACE("t30"."medium", '{', '')) = (
                    LENGTH("t30"."medium") - 1
                  )
                )
                AND (
                  LENGTH(REPLACE("t30"."medium", '}', '')) = (
                    LENGTH("t30"."medium") - 1
                  )
                )
              )
              THEN CAST(NULL AS VARCHAR)
              ELSE "t30"."medium"
            END AS "medium",
            CASE
              WHEN (
                "t30"."channel_clean" = ''
              )
              OR (
                STARTS_WITH("t30"."channel_clean", '{')
                AND (
                  RIGHT("t30"."channel_clean", LENGTH('}')) = '}'
                )
                AND (
                  LENGTH(REPLACE("t30"."channel_clean", '{', '')) = (
                    LENGTH("t30"."channel_clean") - 1
                  )
                )
                AND (
                  LENGTH(REPLACE("t30"."channel_clean", '}', '')) = (
                    LENGTH("t30"."channel_clean") - 1
                  )
                )
              )
              THEN CAST(NULL AS VARCHAR)
              ELSE "t30"."channel_clean"
            END AS "channel_clean"
          FROM (
            SELECT
              "t21"."client_id",
              "t21"."period_index",
              "t21"."utm_source",
              "t21"."utm_medium",
              "t21"."channel",
              "t21"."in_period",
              LOWER(TRIM(' 	
' FROM "t21"."utm_source")) AS "source",
              LOWER(TRIM(' 	
' FROM "t21"."utm_medium")) AS "medium",
              LOWER(TRIM(' 	
' FROM "t21"."channel")) AS "channel_clean"
            FROM (
              SELECT
                "t12"."client_id",
                "t8"."period_index",
                "t12"."utm_source",
                "t12"."utm_medium",
                "t12"."channel",
                (
                  "t12"."created_at" >= "t8"."start_utc"
                )
                AND (
                  "t12"."created_at" < "t8"."end_utc"
                ) AS "in_period"
              FROM "leads" AS "t12"
              INNER JOIN "kpi_bounds" AS "t8"
                ON "t12"."client_id" = "t8"."client_id"
            ) AS "t21"
          ) AS "t30"
        ) AS "t43"
      ) AS "t50"
      GROUP BY
        1,
        2
    ) AS "t56"
      ON "t17"."client_id" = "t56"."client_id"
      AND "t17"."period_index" = "t56"."period_index"
    LEFT OUTER JOIN (
      SELECT
        "t58"."client_id",
        "t58"."period_index",
        COUNT(*) AS "sales_ever",
        COUNT(*) FILTER(WHERE
          "t58"."in_period" AND "t58"."social") AS "sales",
        COUNT(*) FILTER(WHERE
          "t58"."in_period" AND "t58"."social" AND "t58"."inherit") AS "inherited",
        SUM("t58"."amount") FILTER(WHERE
          "t58"."in_period" AND "t58"."social") AS "revenue",
        COUNT("t58"."amount") FILTER(WHERE
          "t58"."in_period" AND "t58"."social") AS "revenue_n"
      FROM (
        SELECT
          "t57"."client_id",
          "t57"."period_index",
          "t57"."amount",
          "t57"."in_period",
          "t57"."inherit",
          "t57"."utm_source",
          "t57"."utm_medium",
          "t57"."channel",
          COALESCE(
            "t57"."utm_medium" IN (
              'social',
              'smm',
              'social-media',
              'social_media',
              'paid_social',
              'paid-social',
              'socialmedia',
              'post',
              'stories',
              'reels'
            ),
            FALSE
          )
          OR COALESCE(
            COALESCE("t57"."utm_source", "t57"."channel") IN (
              'vk',
              'vkontakte',
              'vk.com',
              'telegram',
              'tg',
              't.me',
              'instagram',
              'ig',
              'facebook',
              'fb',
              'youtube',
              'yt',
              'tiktok',
              'ok',
              'odnoklassniki',
              'dzen',
              'zen',
              'x',
              'twitter'
            ),
            FALSE
          ) AS "social"
        FROM (
          SELECT
            "t46"."client_id",
            "t46"."period_index",
            "t46"."amount",
            "t46"."in_period",
            (
              "t55"."lead_ref" IS NOT NULL
            )
            AND (
              "t46"."own_utm_source" IS NULL
            )
            AND (
              "t46"."own_utm_medium" IS NULL
            )
            AND (
              "t46"."own_utm_campaign" IS NULL
            )
            AND (
              "t46"."own_utm_content" IS NULL
            )
            AND (
              "t46"."own_utm_term" IS NULL
            )
            AND (
              "t46"."own_channel" IS NULL
            ) AS "inherit",
            CASE
              WHEN (
                "t55"."lead_ref" IS NOT NULL
              )
              AND (
                "t46"."own_utm_source" IS NULL
              )
              AND (
                "t46"."own_utm_medium" IS NULL
              )
              AND (
                "t46"."own_utm_campaign" IS NULL
              )
              AND (
                "t46"."own_utm_content" IS NULL
              )
              AND (
                "t46"."own_utm_term" IS NULL
              )
              AND (
                "t46"."own_channel" IS NULL
              )
              THEN "t55"."lead_utm_source"
              ELSE "t46"."own_utm_source"
            END AS "utm_source",
            CASE
              WHEN (
                "t55"."lead_ref" IS NOT NULL
              )
              AND (
                "t46"."own_utm_source" IS NULL
              )
              AND (
                "t46"."own_utm_medium" IS NULL
              )
              AND (
                "t46"."own_utm_campaign" IS NULL
              )
              AND (
                "t46"."own_utm_content" IS NULL
              )
              AND (
                "t46"."own_utm_term" IS NULL
              )
              AND (
                "t46"."own_channel" IS NULL
              )
              THEN "t55"."lead_utm_medium"
              ELSE "t46"."own_utm_medium"
            END AS "utm_medium",
            CASE
              WHEN (
                "t55"."lead_ref" IS NOT NULL
              )
              AND (
                "t46"."own_utm_source" IS NULL
              )
              AND (
                "t46"."own_utm_medium" IS NULL
              )
              AND (
                "t46"."own_utm_campaign" IS NULL
              )
              AND (
                "t46"."own_utm_content" IS NULL
              )
              AND (
                "t46"."own_utm_term" IS NULL
              )
              AND (
                "t46"."own_channel" IS NULL
              )
              THEN "t55"."lead_channel"
              ELSE "t46"."own_channel"
            END AS "channel"
          FROM (
            SELECT
              "t34"."client_id",
              "t34"."sale_id",
              "t34"."lead_id",
              "t34"."closed_at",
              "t34"."amount",
              "t34"."utm_source",
              "t34"."utm_medium",
              "t34"."utm_campaign",
              "t34"."utm_content",
              "t34"."utm_term",
              "t34"."channel",
              "t34"."import_id",
              "t34"."period_index",
              "t34"."in_period",
              CASE
                WHEN (
                  "t34"."own_utm_source" = ''
                )
                OR (
                  STARTS_WITH("t34"."own_utm_source", '{')
                  AND (
                    RIGHT("t34"."own_utm_source", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_utm_source", '{', '')) = (
                      LENGTH("t34"."own_utm_source") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_utm_source", '}', '')) = (
                      LENGTH("t34"."own_utm_source") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t34"."own_utm_source"
              END AS "own_utm_source",
              CASE
                WHEN (
                  "t34"."own_utm_medium" = ''
                )
                OR (
                  STARTS_WITH("t34"."own_utm_medium", '{')
                  AND (
                    RIGHT("t34"."own_utm_medium", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_utm_medium", '{', '')) = (
                      LENGTH("t34"."own_utm_medium") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_utm_medium", '}', '')) = (
                      LENGTH("t34"."own_utm_medium") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t34"."own_utm_medium"
              END AS "own_utm_medium",
              CASE
                WHEN (
                  "t34"."own_utm_campaign" = ''
                )
                OR (
                  STARTS_WITH("t34"."own_utm_campaign", '{')
                  AND (
                    RIGHT("t34"."own_utm_campaign", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_utm_campaign", '{', '')) = (
                      LENGTH("t34"."own_utm_campaign") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_utm_campaign", '}', '')) = (
                      LENGTH("t34"."own_utm_campaign") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t34"."own_utm_campaign"
              END AS "own_utm_campaign",
              CASE
                WHEN (
                  "t34"."own_utm_content" = ''
                )
                OR (
                  STARTS_WITH("t34"."own_utm_content", '{')
                  AND (
                    RIGHT("t34"."own_utm_content", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_utm_content", '{', '')) = (
                      LENGTH("t34"."own_utm_content") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_utm_content", '}', '')) = (
                      LENGTH("t34"."own_utm_content") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t34"."own_utm_content"
              END AS "own_utm_content",
              CASE
                WHEN (
                  "t34"."own_utm_term" = ''
                )
                OR (
                  STARTS_WITH("t34"."own_utm_term", '{')
                  AND (
                    RIGHT("t34"."own_utm_term", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_utm_term", '{', '')) = (
                      LENGTH("t34"."own_utm_term") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_utm_term", '}', '')) = (
                      LENGTH("t34"."own_utm_term") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t34"."own_utm_term"
              END AS "own_utm_term",
              CASE
                WHEN (
                  "t34"."own_channel" = ''
                )
                OR (
                  STARTS_WITH("t34"."own_channel", '{')
                  AND (
                    RIGHT("t34"."own_channel", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_channel", '{', '')) = (
                      LENGTH("t34"."own_channel") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t34"."own_channel", '}', '')) = (
                      LENGTH("t34"."own_channel") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t34"."own_channel"
              END AS "own_channel"
            FROM "t31" AS "t34"
          ) AS "t46"
          LEFT OUTER JOIN (
            SELECT
              "t44"."lead_client",
              "t44"."lead_ref",
              "t44"."raw_utm_source",
              "t44"."raw_utm_medium",
              "t44"."raw_utm_campaign",
              "t44"."raw_utm_content",
              "t44"."raw_utm_term",
              "t44"."raw_channel",
              CASE
                WHEN (
                  "t44"."lead_utm_source" = ''
                )
                OR (
                  STARTS_WITH("t44"."lead_utm_source", '{')
                  AND (
                    RIGHT("t44"."lead_utm_source", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_utm_source", '{', '')) = (
                      LENGTH("t44"."lead_utm_source") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_utm_source", '}', '')) = (
                      LENGTH("t44"."lead_utm_source") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t44"."lead_utm_source"
              END AS "lead_utm_source",
              CASE
                WHEN (
                  "t44"."lead_utm_medium" = ''
                )
                OR (
                  STARTS_WITH("t44"."lead_utm_medium", '{')
                  AND (
                    RIGHT("t44"."lead_utm_medium", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_utm_medium", '{', '')) = (
                      LENGTH("t44"."lead_utm_medium") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_utm_medium", '}', '')) = (
                      LENGTH("t44"."lead_utm_medium") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t44"."lead_utm_medium"
              END AS "lead_utm_medium",
              CASE
                WHEN (
                  "t44"."lead_utm_campaign" = ''
                )
                OR (
                  STARTS_WITH("t44"."lead_utm_campaign", '{')
                  AND (
                    RIGHT("t44"."lead_utm_campaign", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_utm_campaign", '{', '')) = (
                      LENGTH("t44"."lead_utm_campaign") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_utm_campaign", '}', '')) = (
                      LENGTH("t44"."lead_utm_campaign") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t44"."lead_utm_campaign"
              END AS "lead_utm_campaign",
              CASE
                WHEN (
                  "t44"."lead_utm_content" = ''
                )
                OR (
                  STARTS_WITH("t44"."lead_utm_content", '{')
                  AND (
                    RIGHT("t44"."lead_utm_content", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_utm_content", '{', '')) = (
                      LENGTH("t44"."lead_utm_content") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_utm_content", '}', '')) = (
                      LENGTH("t44"."lead_utm_content") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t44"."lead_utm_content"
              END AS "lead_utm_content",
              CASE
                WHEN (
                  "t44"."lead_utm_term" = ''
                )
                OR (
                  STARTS_WITH("t44"."lead_utm_term", '{')
                  AND (
                    RIGHT("t44"."lead_utm_term", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_utm_term", '{', '')) = (
                      LENGTH("t44"."lead_utm_term") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_utm_term", '}', '')) = (
                      LENGTH("t44"."lead_utm_term") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t44"."lead_utm_term"
              END AS "lead_utm_term",
              CASE
                WHEN (
                  "t44"."lead_channel" = ''
                )
                OR (
                  STARTS_WITH("t44"."lead_channel", '{')
                  AND (
                    RIGHT("t44"."lead_channel", LENGTH('}')) = '}'
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_channel", '{', '')) = (
                      LENGTH("t44"."lead_channel") - 1
                    )
                  )
                  AND (
                    LENGTH(REPLACE("t44"."lead_channel", '}', '')) = (
                      LENGTH("t44"."lead_channel") - 1
                    )
                  )
                )
                THEN CAST(NULL AS VARCHAR)
                ELSE "t44"."lead_channel"
              END AS "lead_channel"
            FROM (
              SELECT
                "t39"."client_id" AS "lead_client",
                "t39"."lead_id" AS "lead_ref",
                "t39"."utm_source" AS "raw_utm_source",
                "t39"."utm_medium" AS "raw_utm_medium",
                "t39"."utm_campaign" AS "raw_utm_campaign",
                "t39"."utm_content" AS "raw_utm_content",
                "t39"."utm_term" AS "raw_utm_term",
                "t39"."channel" AS "raw_channel",
                LOWER(TRIM(' 	
' FROM "t39"."utm_source")) AS "lead_utm_source",
                LOWER(TRIM(' 	
' FROM "t39"."utm_medium")) AS "lead_utm_medium",
                LOWER(TRIM(' 	
' FROM "t39"."utm_campaign")) AS "lead_utm_campaign",
                LOWER(TRIM(' 	
' FROM "t39"."utm_content")) AS "lead_utm_content",
                LOWER(TRIM(' 	
' FROM "t39"."utm_term")) AS "lead_utm_term",
                LOWER(TRIM(' 	
' FROM "t39"."channel")) AS "lead_channel"
              FROM (
                SELECT
                  *
                FROM "leads" AS "t5"
                WHERE
                  "t5"."client_id" IN (
                    SELECT
                      "t0"."client_id"
                    FROM "kpi_bounds" AS "t0"
                  )
                  AND "t5"."lead_id" IN (
                    SELECT
                      "t34"."lead_id"
                    FROM "t31" AS "t34"
                  )
              ) AS "t39"
            ) AS "t44"
          ) AS "t55"
            ON "t46"."client_id" = "t55"."lead_client" AND "t46"."lead_id" = "t55"."lead_ref"
        ) AS "t57"
      ) AS "t58"
      GROUP BY
        1,
        2
    ) AS "t60"
      ON "t17"."client_id" = "t60"."client_id"
      AND "t17"."period_index" = "t60"."period_index"
    LEFT OUTER JOIN (
      SELECT
        "t24"."client_id",
        "t24"."period_index",
        SUM("t24"."amount") AS "ad_spend",
        COUNT("t24"."amount") AS "ad_spend_n"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t9"."client_id",
            "t9"."date",
            "t9"."platform",
            "t9"."campaign",
            "t9"."amount",
            "t9"."import_id",
            "t8"."period_index",
            "t8"."start_date",
            "t8"."end_date"
          FROM "ad_spend" AS "t9"
          INNER JOIN "kpi_bounds" AS "t8"
            ON "t9"."client_id" = "t8"."client_id"
        ) AS "t18"
        WHERE
          "t18"."date" >= "t18"."start_date" AND "t18"."date" <= "t18"."end_date"
      ) AS "t24"
      GROUP BY
        1,
        2
    ) AS "t36"
      ON "t17"."client_id" = "t36"."client_id"
      AND "t17"."period_index" = "t36"."period_index"
    LEFT OUTER JOIN (
      SELECT
        "t1"."client_id",
        "t1"."period_index",
        SUM("t1"."in__followers_end") AS "kpi__followers",
        SUM("t1"."in__followers_start") AS "kpi__followers_start",
        SUM("t1"."in__followers_avg") AS "kpi__followers_avg",
        SUM("t1"."in__followers_gained") AS "kpi__followers_gained",
        SUM("t1"."in__followers_lost") AS "kpi__followers_lost",
        SUM("t1"."in__net_follower_growth") AS "kpi__net_follower_growth",
        CASE
          WHEN (
            SUM("t1"."in__followers_change") FILTER(WHERE
              (
                "t1"."in__followers_change" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__followers_start") FILTER(WHERE
              (
                "t1"."in__followers_change" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__followers_start") FILTER(WHERE
              (
                "t1"."in__followers_change" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__followers_change") FILTER(WHERE
              (
                "t1"."in__followers_change" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) AS DOUBLE PRECISION) / CAST(SUM("t1"."in__followers_start") FILTER(WHERE
              (
                "t1"."in__followers_change" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) AS DOUBLE PRECISION)
          ) * 100
        END AS "kpi__follower_growth_rate",
        CASE
          WHEN (
            SUM("t1"."in__followers_lost") FILTER(WHERE
              (
                "t1"."in__followers_lost" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__followers_start") FILTER(WHERE
              (
                "t1"."in__followers_lost" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__followers_start") FILTER(WHERE
              (
                "t1"."in__followers_lost" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__followers_lost") FILTER(WHERE
              (
                "t1"."in__followers_lost" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) AS DOUBLE PRECISION) / CAST(SUM("t1"."in__followers_start") FILTER(WHERE
              (
                "t1"."in__followers_lost" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) AS DOUBLE PRECISION)
          ) * 100
        END AS "kpi__churn_rate",
        CASE
          WHEN (
            SUM("t1"."in__followers_gained") FILTER(WHERE
              (
                "t1"."in__followers_gained" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__followers_start") FILTER(WHERE
              (
                "t1"."in__followers_gained" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__followers_start") FILTER(WHERE
              (
                "t1"."in__followers_gained" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__followers_gained") FILTER(WHERE
              (
                "t1"."in__followers_gained" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) AS DOUBLE PRECISION) / CAST(SUM("t1"."in__followers_start") FILTER(WHERE
              (
                "t1"."in__followers_gained" IS NOT NULL
              )
              AND (
                "t1"."in__followers_start" IS NOT NULL
              )) AS DOUBLE PRECISION)
          ) * 100
        END AS "kpi__audience_renewal_rate",
        SUM("t1"."in__reach") AS "kpi__reach",
        SUM("t1"."in__impressions") AS "kpi__impressions",
        SUM("t1"."in__post_reach") AS "kpi__post_reach",
        CASE
          WHEN (
            SUM("t1"."in__post_reach") FILTER(WHERE
              (
                "t1"."in__post_reach" IS NOT NULL
              )
              AND (
                "t1"."in__posts_with_reach" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__posts_with_reach") FILTER(WHERE
              (
                "t1"."in__post_reach" IS NOT NULL
              )
              AND (
                "t1"."in__posts_with_reach" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__posts_with_reach") FILTER(WHERE
              (
                "t1"."in__post_reach" IS NOT NULL
              )
              AND (
                "t1"."in__posts_with_reach" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE CAST(SUM("t1"."in__post_reach") FILTER(WHERE
            (
              "t1"."in__post_reach" IS NOT NULL
            )
            AND (
              "t1"."in__posts_with_reach" IS NOT NULL
            )) AS DOUBLE PRECISION) / CAST(SUM("t1"."in__posts_with_reach") FILTER(WHERE
            (
              "t1"."in__post_reach" IS NOT NULL
            )
            AND (
              "t1"."in__posts_with_reach" IS NOT NULL
            )) AS DOUBLE PRECISION)
        END AS "kpi__avg_post_reach",
        SUM("t1"."in__post_reach_organic") AS "kpi__post_reach_organic",
        SUM("t1"."in__post_reach_viral") AS "kpi__post_reach_viral",
        SUM("t1"."in__post_reach_paid") AS "kpi__post_reach_paid",
        CASE
          WHEN (
            SUM("t1"."in__split_organic") FILTER(WHERE
              (
                "t1"."in__split_organic" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__split_total") FILTER(WHERE
              (
                "t1"."in__split_organic" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__split_total") FILTER(WHERE
              (
                "t1"."in__split_organic" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__split_organic") FILTER(WHERE
              (
                "t1"."in__split_organic" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) AS DOUBLE PRECISION) / CAST(SUM("t1"."in__split_total") FILTER(WHERE
              (
                "t1"."in__split_organic" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) AS DOUBLE PRECISION)
          ) * 100
        END AS "kpi__organic_reach_share",
        CASE
          WHEN (
            SUM("t1"."in__split_viral") FILTER(WHERE
              (
                "t1"."in__split_viral" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__split_total") FILTER(WHERE
              (
                "t1"."in__split_viral" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__split_total") FILTER(WHERE
              (
                "t1"."in__split_viral" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__split_viral") FILTER(WHERE
              (
                "t1"."in__split_viral" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) AS DOUBLE PRECISION) / CAST(SUM("t1"."in__split_total") FILTER(WHERE
              (
                "t1"."in__split_viral" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) AS DOUBLE PRECISION)
          ) * 100
        END AS "kpi__viral_reach_share",
        CASE
          WHEN (
            SUM("t1"."in__split_paid") FILTER(WHERE
              (
                "t1"."in__split_paid" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__split_total") FILTER(WHERE
              (
                "t1"."in__split_paid" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__split_total") FILTER(WHERE
              (
                "t1"."in__split_paid" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__split_paid") FILTER(WHERE
              (
                "t1"."in__split_paid" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) AS DOUBLE PRECISION) / CAST(SUM("t1"."in__split_total") FILTER(WHERE
              (
                "t1"."in__split_paid" IS NOT NULL
              )
              AND (
                "t1"."in__split_total" IS NOT NULL
              )) AS DOUBLE PRECISION)
          ) * 100
        END AS "kpi__paid_reach_share",
        SUM("t1"."in__posts") AS "kpi__posts",
        SUM("t1"."in__interactions") AS "kpi__interactions",
        CASE
          WHEN (
            SUM("t1"."in__interactions") FILTER(WHERE
              (
                "t1"."in__interactions" IS NOT NULL
              )
              AND (
                "t1"."in__er_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__er_base") FILTER(WHERE
              (
                "t1"."in__interactions" IS NOT NULL
              )
              AND (
                "t1"."in__er_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__er_base") FILTER(WHERE
              (
                "t1"."in__interactions" IS NOT NULL
              )
              AND (
                "t1"."in__er_base" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__interactions") FILTER(WHERE
              (
                "t1"."in__interactions" IS NOT NULL
              )
              AND (
                "t1"."in__er_base" IS NOT NULL
              )) AS DOUBLE PRECISION) / SUM("t1"."in__er_base") FILTER(WHERE
              (
                "t1"."in__interactions" IS NOT NULL
              )
              AND (
                "t1"."in__er_base" IS NOT NULL
              ))
          ) * 100
        END AS "kpi__er",
        CASE
          WHEN (
            SUM("t1"."in__likes") FILTER(WHERE
              (
                "t1"."in__likes" IS NOT NULL
              ) AND (
                "t1"."in__likes_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__likes_base") FILTER(WHERE
              (
                "t1"."in__likes" IS NOT NULL
              ) AND (
                "t1"."in__likes_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__likes_base") FILTER(WHERE
              (
                "t1"."in__likes" IS NOT NULL
              ) AND (
                "t1"."in__likes_base" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__likes") FILTER(WHERE
              (
                "t1"."in__likes" IS NOT NULL
              ) AND (
                "t1"."in__likes_base" IS NOT NULL
              )) AS DOUBLE PRECISION) / SUM("t1"."in__likes_base") FILTER(WHERE
              (
                "t1"."in__likes" IS NOT NULL
              ) AND (
                "t1"."in__likes_base" IS NOT NULL
              ))
          ) * 100
        END AS "kpi__like_rate",
        CASE
          WHEN (
            SUM("t1"."in__comments") FILTER(WHERE
              (
                "t1"."in__comments" IS NOT NULL
              )
              AND (
                "t1"."in__comments_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__comments_base") FILTER(WHERE
              (
                "t1"."in__comments" IS NOT NULL
              )
              AND (
                "t1"."in__comments_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__comments_base") FILTER(WHERE
              (
                "t1"."in__comments" IS NOT NULL
              )
              AND (
                "t1"."in__comments_base" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__comments") FILTER(WHERE
              (
                "t1"."in__comments" IS NOT NULL
              )
              AND (
                "t1"."in__comments_base" IS NOT NULL
              )) AS DOUBLE PRECISION) / SUM("t1"."in__comments_base") FILTER(WHERE
              (
                "t1"."in__comments" IS NOT NULL
              )
              AND (
                "t1"."in__comments_base" IS NOT NULL
              ))
          ) * 100
        END AS "kpi__talk_rate",
        CASE
          WHEN (
            SUM("t1"."in__shares") FILTER(WHERE
              (
                "t1"."in__shares" IS NOT NULL
              ) AND (
                "t1"."in__shares_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__shares_base") FILTER(WHERE
              (
                "t1"."in__shares" IS NOT NULL
              ) AND (
                "t1"."in__shares_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__shares_base") FILTER(WHERE
              (
                "t1"."in__shares" IS NOT NULL
              ) AND (
                "t1"."in__shares_base" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__shares") FILTER(WHERE
              (
                "t1"."in__shares" IS NOT NULL
              ) AND (
                "t1"."in__shares_base" IS NOT NULL
              )) AS DOUBLE PRECISION) / SUM("t1"."in__shares_base") FILTER(WHERE
              (
                "t1"."in__shares" IS NOT NULL
              ) AND (
                "t1"."in__shares_base" IS NOT NULL
              ))
          ) * 100
        END AS "kpi__amplification_rate",
        CASE
          WHEN (
            SUM("t1"."in__interactions") FILTER(WHERE
              (
                "t1"."in__interactions" IS NOT NULL
              )
              AND (
                "t1"."in__er_day_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__er_day_base") FILTER(WHERE
              (
                "t1"."in__interactions" IS NOT NULL
              )
              AND (
                "t1"."in__er_day_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__er_day_base") FILTER(WHERE
              (
                "t1"."in__interactions" IS NOT NULL
              )
              AND (
                "t1"."in__er_day_base" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__interactions") FILTER(WHERE
              (
                "t1"."in__interactions" IS NOT NULL
              )
              AND (
                "t1"."in__er_day_base" IS NOT NULL
              )) AS DOUBLE PRECISION) / SUM("t1"."in__er_day_base") FILTER(WHERE
              (
                "t1"."in__interactions" IS NOT NULL
              )
              AND (
                "t1"."in__er_day_base" IS NOT NULL
              ))
          ) * 100
        END AS "kpi__er_day",
        CASE
          WHEN (
            SUM("t1"."in__err_interactions") FILTER(WHERE
              (
                "t1"."in__err_interactions" IS NOT NULL
              )
              AND (
                "t1"."in__err_reach" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__err_reach") FILTER(WHERE
              (
                "t1"."in__err_interactions" IS NOT NULL
              )
              AND (
                "t1"."in__err_reach" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__err_reach") FILTER(WHERE
              (
                "t1"."in__err_interactions" IS NOT NULL
              )
              AND (
                "t1"."in__err_reach" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__err_interactions") FILTER(WHERE
              (
                "t1"."in__err_interactions" IS NOT NULL
              )
              AND (
                "t1"."in__err_reach" IS NOT NULL
              )) AS DOUBLE PRECISION) / CAST(SUM("t1"."in__err_reach") FILTER(WHERE
              (
                "t1"."in__err_interactions" IS NOT NULL
              )
              AND (
                "t1"."in__err_reach" IS NOT NULL
              )) AS DOUBLE PRECISION)
          ) * 100
        END AS "kpi__err",
        CASE
          WHEN (
            SUM("t1"."in__views") FILTER(WHERE
              (
                "t1"."in__views" IS NOT NULL
              ) AND (
                "t1"."in__views_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__views_base") FILTER(WHERE
              (
                "t1"."in__views" IS NOT NULL
              ) AND (
                "t1"."in__views_base" IS NOT NULL
              )) IS NULL
          )
          OR (
            SUM("t1"."in__views_base") FILTER(WHERE
              (
                "t1"."in__views" IS NOT NULL
              ) AND (
                "t1"."in__views_base" IS NOT NULL
              )) = 0
          )
          THEN CAST(NULL AS DOUBLE PRECISION)
          ELSE (
            CAST(SUM("t1"."in__views") FILTER(WHERE
              (
                "t1"."in__views" IS NOT NULL
              ) AND (
                "t1"."in__views_base" IS NOT NULL
              )) AS DOUBLE PRECISION) / SUM("t1"."in__views_base") FILTER(WHERE
              (
                "t1"."in__views" IS NOT NULL
              ) AND (
                "t1"."in__views_base" IS NOT NULL
              ))
          ) * 100
        END AS "kpi__view_rate",
        SUM("t1"."in__link_clicks") AS "kpi__link_clicks",
        SUM("t1"."in__post_link_clicks") AS "kpi__post_link_clicks",
        SUM("t1"."in__profile_visits") AS "kpi__profile_visits",
        SUM("t1"."in__contact_clicks") AS "kpi__contact_clicks",
        SUM("t1"."in__location_clicks") AS "kpi__location_clicks"
      FROM "kpi_account_inputs" AS "t1"
      GROUP BY
        1,
        2
    ) AS "t32"
      ON "t17"."client_id" = "t32"."client_id"
      AND "t17"."period_index" = "t32"."period_index"
  ) AS "t61"
) AS "t62"
