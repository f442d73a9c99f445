"""The demo agency: who its clients are and how their accounts behave.

Four clients, one per goal and one abroad, on VK, Telegram, Instagram, Facebook and YouTube.
The generator (``generate.py``) turns these profiles into 15 months of daily statistics, posts,
mentions, web traffic, leads, sales and ad spend. Adding a client is adding a profile here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Monthly seasonality, January first: a multiplier of activity.
COFFEE_SEASON = (1.15, 1.1, 1.05, 1.0, 0.95, 0.85, 0.8, 0.85, 1.0, 1.05, 1.1, 1.25)
FITNESS_SEASON = (1.35, 1.15, 1.05, 1.0, 1.05, 0.8, 0.7, 0.75, 1.2, 1.1, 1.0, 0.85)
HOME_SEASON = (0.8, 0.85, 1.1, 1.2, 1.1, 0.9, 0.85, 0.9, 1.1, 1.15, 1.3, 1.0)
ROASTER_SEASON = (1.0, 0.95, 1.0, 1.0, 1.05, 1.0, 0.95, 0.95, 1.05, 1.1, 1.15, 1.3)


@dataclass(frozen=True)
class AccountProfile:
    """How one demo account behaves."""

    account_id: str
    platform: str
    handle: str
    name: str
    followers: int  # at the start of the history
    monthly_growth: float  # net growth per month, as a share of followers
    daily_churn: float  # share of followers lost per day
    reach_ratio: float  # daily reach per follower
    posts_per_week: float
    like_rate: float  # likes per follower per post
    post_reach_ratio: float  # post reach per follower
    kinds: tuple[str, ...] = ("post",)
    # What the platform reports (unknown metrics are left empty, as exports leave them).
    has_followers: bool = True
    has_gained_lost: bool = True
    has_lost: bool = True
    has_daily_reach: bool = True
    has_post_reach: bool = True
    has_reach_split: bool = False
    has_saves: bool = False
    has_views: bool = False
    has_link_clicks: bool = False
    has_contact_clicks: bool = False
    has_location_clicks: bool = False
    promoted_share: float = 0.0  # share of posts boosted with ads (paid reach)


@dataclass(frozen=True)
class ClientProfile:
    """A demo client."""

    client_id: str
    name: str
    timezone: str
    currency: str
    goal: str
    brand_hashtags: str
    season: tuple[float, ...]
    accounts: tuple[AccountProfile, ...]
    post_topics: tuple[str, ...]
    mention_templates: tuple[str, ...] = ()
    mentions_per_day: float = 0.0
    web_sessions_per_day: float = 0.0  # social sessions on an average day; 0 = no web analytics
    leads_per_day: float = 0.0
    average_sale: int = 0
    ad_spend_per_day: tuple[tuple[str, int], ...] = ()  # (platform, amount)
    extra: dict[str, str] = field(default_factory=dict)


AGENCY_NAME = "Агентство «Смысл и цифры»"

CLIENTS: tuple[ClientProfile, ...] = (
    ClientProfile(
        client_id="coffeelab",
        name="Кофелаб",
        timezone="Europe/Moscow",
        currency="RUB",
        goal="awareness",
        brand_hashtags="#coffeelab #кофелаб",
        season=COFFEE_SEASON,
        accounts=(
            AccountProfile(
                "coffeelab-vk",
                "vk",
                "club21890451",
                "Кофелаб | кофейня",
                14_200,
                0.025,
                0.0009,
                0.42,
                5,
                0.012,
                0.33,
                kinds=("post", "post", "video"),
                has_reach_split=True,
                has_views=True,
                has_link_clicks=True,
                has_location_clicks=True,
                promoted_share=0.2,
            ),
            AccountProfile(
                "coffeelab-tg",
                "telegram",
                "@coffeelab_msk",
                "Кофелаб",
                5_300,
                0.03,
                0.0011,
                0.0,
                4,
                0.018,
                0.0,
                has_daily_reach=False,
                has_post_reach=False,
                has_views=True,
            ),
            AccountProfile(
                "coffeelab-ig",
                "instagram",
                "@coffeelab.msk",
                "Кофелаб",
                9_800,
                0.02,
                0.0008,
                0.55,
                4,
                0.035,
                0.4,
                kinds=("post", "reel", "reel"),
                has_lost=False,
                has_saves=True,
                has_views=True,
                has_link_clicks=True,
                has_contact_clicks=True,
                has_location_clicks=True,
            ),
        ),
        post_topics=(
            "Новый сорт эфиопии в воронке — заходите попробовать",
            "Утро начинается с флэт-уайта: ловите скидку до 10:00",
            "Как мы обжариваем зерно: показываем ростер изнутри",
            "Латте-арт мастер-класс в субботу, места ограничены",
            "Сезонное меню: тыквенный раф вернулся",
            "Бариста рассказывает, чем колд-брю отличается от айс-кофе",
            "Открыли летнюю веранду на Покровке",
            "Кофе с собой в свою кружку — на 30 ₽ дешевле",
        ),
        mention_templates=(
            "Лучший капучино в районе — {tag}",
            "Зашла в {tag} после работы, бариста сварил шикарную воронку",
            "Утренний кофе {tag} ☕️",
            "Кто пробовал тыквенный раф в {tag}?",
            "Встреча с подругой в кофейне на Покровке, очень уютно",
            "Снова очередь в Кофелаб, но оно того стоит",
            "Обзор кофеен Москвы: Кофелаб на третьем месте #coffeelabs",
        ),
        mentions_per_day=1.6,
        ad_spend_per_day=(("vk_ads", 1_200),),
    ),
    ClientProfile(
        client_id="fitnest",
        name="FitNest",
        timezone="Asia/Yekaterinburg",
        currency="RUB",
        goal="community",
        brand_hashtags="#fitnest",
        season=FITNESS_SEASON,
        accounts=(
            AccountProfile(
                "fitnest-vk",
                "vk",
                "fitnest_ekb",
                "FitNest | фитнес-студия",
                8_400,
                0.015,
                0.0008,
                0.35,
                6,
                0.022,
                0.3,
                kinds=("post", "video"),
                has_reach_split=True,
                has_views=True,
                has_link_clicks=True,
            ),
            AccountProfile(
                "fitnest-tg",
                "telegram",
                "@fitnest_ekb",
                "FitNest чат-канал",
                2_100,
                0.04,
                0.0014,
                0.0,
                5,
                0.03,
                0.0,
                has_followers=False,
                has_daily_reach=False,
                has_post_reach=False,
                has_views=True,
            ),
            AccountProfile(
                "fitnest-ig",
                "instagram",
                "@fitnest.ekb",
                "FitNest",
                6_900,
                0.012,
                0.0008,
                0.5,
                5,
                0.045,
                0.42,
                kinds=("reel", "post", "story"),
                has_lost=False,
                has_saves=True,
                has_views=True,
                has_contact_clicks=True,
            ),
        ),
        post_topics=(
            "Тренировка недели: 20 минут на кор без инвентаря",
            "Рубрика «Вопрос тренеру»: пишите в комментариях",
            "Челлендж «10 000 шагов» — отмечайтесь каждый день",
            "История участницы: минус 8 кг за полгода без жёстких диет",
            "Новое расписание групповых тренировок на следующую неделю",
            "Разбираем технику приседа: три частые ошибки",
            "Голосование: какую тренировку добавить в субботу?",
            "Фото с нашего утреннего забега по набережной",
        ),
        mention_templates=(
            "Третий месяц в {tag}, спина наконец не болит",
            "Утренняя тренировка с девчонками {tag} 💪",
            "Кто со мной на челлендж в {tag}?",
            "Лучшие тренеры в Екатеринбурге — FitNest",
        ),
        mentions_per_day=0.7,
    ),
    ClientProfile(
        client_id="homedecor",
        name="Дом и Декор",
        timezone="Europe/Moscow",
        currency="RUB",
        goal="sales",
        brand_hashtags="#домидекор #homedecor_spb",
        season=HOME_SEASON,
        accounts=(
            AccountProfile(
                "homedecor-vk",
                "vk",
                "domidekor_spb",
                "Дом и Декор — мебель в СПб",
                22_500,
                0.01,
                0.0007,
                0.25,
                4,
                0.006,
                0.22,
                kinds=("post", "post", "video"),
                has_reach_split=True,
                has_views=True,
                has_link_clicks=True,
                has_contact_clicks=True,
                has_location_clicks=True,
                promoted_share=0.35,
            ),
            AccountProfile(
                "homedecor-ig",
                "instagram",
                "@domidekor.spb",
                "Дом и Декор",
                15_300,
                0.008,
                0.0006,
                0.3,
                3,
                0.02,
                0.3,
                kinds=("post", "reel"),
                has_lost=False,
                has_saves=True,
                has_views=True,
                has_link_clicks=True,
                has_contact_clicks=True,
                has_location_clicks=True,
            ),
        ),
        post_topics=(
            "Диван «Осло» в новой обивке — ссылка на каталог в профиле",
            "Скидка 15 % на шкафы-купе до конца недели",
            "Как выбрать обеденный стол под размер кухни: памятка",
            "Собрали гостиную в скандинавском стиле — цены в карточках",
            "Доставка и сборка бесплатно при заказе от 50 000 ₽",
            "Новинки текстиля: пледы и подушки к осени",
            "Реальный интерьер покупателя: спальня 12 м²",
        ),
        mention_templates=(
            "Купили диван в {tag}, доставили за два дня",
            "Выбираем шкаф, присматриваемся к {tag}",
            "Наш новый стол из Дом и Декор",
        ),
        mentions_per_day=0.4,
        web_sessions_per_day=140,
        leads_per_day=4.5,
        average_sale=48_000,
        ad_spend_per_day=(("vk_ads", 3_800), ("telegram_ads", 900)),
    ),
    ClientProfile(
        client_id="pacificbrew",
        name="Pacific Brew Roasters",
        timezone="America/Los_Angeles",
        currency="USD",
        goal="community",
        brand_hashtags="#pacificbrew",
        season=ROASTER_SEASON,
        accounts=(
            AccountProfile(
                "pacificbrew-ig",
                "instagram",
                "@pacificbrew",
                "Pacific Brew Roasters",
                12_600,
                0.018,
                0.0007,
                0.5,
                4,
                0.04,
                0.45,
                kinds=("post", "reel"),
                has_lost=False,
                has_saves=True,
                has_views=True,
                has_link_clicks=True,
                has_contact_clicks=True,
            ),
            AccountProfile(
                "pacificbrew-fb",
                "facebook",
                "pacificbrewroasters",
                "Pacific Brew",
                4_100,
                0.004,
                0.0006,
                0.2,
                2,
                0.01,
                0.15,
                kinds=("post",),
                has_views=False,
            ),
            AccountProfile(
                "pacificbrew-yt",
                "youtube",
                "@pacificbrew",
                "Pacific Brew",
                2_300,
                0.03,
                0.0009,
                0.0,
                0.5,
                0.05,
                0.0,
                kinds=("video", "short"),
                has_daily_reach=False,
                has_post_reach=False,
                has_views=True,
            ),
        ),
        post_topics=(
            "New single origin from Huila, Colombia — tasting notes inside",
            "Meet our roaster: a morning at the Oakland roastery",
            "Cold brew season is here: our recipe for a 1-litre batch",
            "Cupping session this Saturday, RSVP in the comments",
            "Behind the label: how we pick our green coffee",
        ),
        mention_templates=(
            "Best pour-over in the Bay {tag}",
            "Weekend beans from {tag} ☕",
            "Pacific Brew's Ethiopia is on another level",
        ),
        mentions_per_day=0.5,
    ),
)
