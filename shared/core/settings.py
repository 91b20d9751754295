"""Every setting the bot reads, from the environment (or `.env`), read once per process."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shared.core.addresses import shared_host
from shared.core.schedule import SupportHours

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Configuration; `.env.example` documents each variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Unset means production, so that a deployment made by hand is as strict as ours: no email
    # sign-in, exact origins, and a clear error naming what is missing. `./dev run` says local.
    environment: Literal["local", "test", "production"] = "production"

    # Database: INSTANCE_CONNECTION_NAME, else DATABASE_URL, else an embedded Postgres.
    instance_connection_name: str | None = None
    db_user: str | None = None
    db_name: str = "support"
    db_password: SecretStr | None = None
    db_iam_auth: bool = True
    db_private_ip: bool = False
    database_url: str | None = None
    embedded_pg_dir: Path = PROJECT_ROOT / ".local" / "pgdata"
    db_pool_size: int | None = Field(default=None, ge=1)
    threads: int | None = Field(default=None, ge=1)
    db_max_overflow: int = Field(default=1, ge=0)
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0)
    db_pool_recycle_seconds: int = Field(default=300, gt=0)

    # HTTP
    # Browser origins allowed to call; none unless configured (`*` is accepted outside production).
    allowed_origins: Annotated[list[str], NoDecode] = []
    max_message_chars: int = Field(default=2000, ge=1)
    max_request_bytes: int = Field(default=64 * 1024, ge=1024)
    messages_page_size: int = Field(default=200, ge=1, le=1000)
    # How many proxies in front of the functions append to X-Forwarded-For (Google's front end: 1;
    # behind an external load balancer: 2). 0 trusts only the socket's peer address.
    trusted_proxy_hops: int = Field(default=0, ge=0, le=10)

    # Abuse limits (429s) and model budgets (spent: replies go without the model), counted in
    # Postgres over sliding windows; 0 switches one off. One address may open 20 sessions a day
    # of 15,000 tokens each: at most a tenth of the deployment's budget.
    rate_limit_sessions_per_minute: int = Field(default=10, ge=0)
    rate_limit_sessions_per_day: int = Field(default=20, ge=0)
    rate_limit_messages_per_minute: int = Field(default=20, ge=0)
    rate_limit_session_tokens_per_day: int = Field(default=15_000, ge=0)
    rate_limit_tokens_per_day: int = Field(default=3_000_000, ge=0)
    # Per operator and minute on the operator API: every write, and the costly routes (try it, gaps,
    # drafts, the draft check, summaries), which each run retrieval over many questions or a model.
    # The console's Gaps view alone reloads its list 6 times a minute per open tab.
    rate_limit_operator_writes_per_minute: int = Field(default=60, ge=0)
    rate_limit_operator_costly_per_minute: int = Field(default=30, ge=0)

    # Retries: how long a retry of a message still being answered waits for that answer.
    idempotency_wait_seconds: float = Field(default=10.0, ge=0)
    # The lease a request holds on a message while answering it, renewed every third of it; a
    # retry answers the message itself once the lease lapses (the first attempt died).
    answer_lease_seconds: float = Field(default=10.0, ge=1)

    # The operator console: where it is served from (CORS for operator_api), Google sign-in, tokens.
    console_origins: Annotated[list[str], NoDecode] = []
    google_oauth_client_id: str | None = None
    google_workspace_domain: str | None = None
    operator_token_hours: float = Field(default=12.0, gt=0, le=24 * 30)
    # Where the console is, for links in notifications.
    console_url: str | None = None

    # Known customers: the shop's backend signs a short-lived JWT for its signed-in customer, with
    # a shared secret (HS256) or a key published at a JWKS URL (RS256/ES256), never both. Neither
    # set: identity tokens are refused and sessions are anonymous.
    identity_signing_secret: SecretStr | None = None
    identity_jwks_url: str | None = None
    identity_audience: str | None = None
    identity_issuer: str | None = None
    identity_max_token_minutes: int = Field(default=60, ge=1, le=24 * 60)
    identity_leeway_seconds: int = Field(default=0, ge=0, le=30)
    identity_jwks_timeout_seconds: float = Field(default=3.0, gt=0, le=30)

    # Actions on the shop's own API (shared/actions/): declared in a JSON file. A call goes only to a
    # host listed in ACTIONS_ALLOWED_HOSTS ("host" or "host:port"; a private or loopback address only
    # when listed with its port). Unset: no action is ever called.
    actions_path: Path = PROJECT_ROOT / "actions.json"
    actions_allowed_hosts: Annotated[list[str], NoDecode] = []
    action_timeout_seconds: float = Field(default=5.0, gt=0, le=30)
    # With a model, an action is chosen by the model's own tool calling, and the reply is written from
    # what the action returned (false: chosen from the actions' examples, as without a model, for a
    # server that does not call tools). Each such model call has this deadline and no retry.
    action_tool_calling: bool = True
    action_model_timeout_seconds: float = Field(default=5.0, gt=0, le=30)

    # Handover notifications: a Slack-compatible incoming webhook and/or a generic webhook signed
    # with HMAC-SHA256 (in production these come from Secret Manager).
    slack_webhook_url: SecretStr | None = None
    notify_webhook_url: SecretStr | None = None
    notify_webhook_secret: SecretStr | None = None

    # E-mail of agents' replies a customer has not read in the widget, to the address they left
    # (shared/clients/mail.py). Unset SMTP_HOST: nothing is e-mailed and the widget promises no e-mail.
    # SMTP_SECURITY: starttls (port 587), ssl (implicit TLS, port 465) or none (a local relay).
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    # The page where the customer chats (the widget remembers the conversation there): the e-mail links to it.
    support_page_url: str | None = None

    # Retention: purge_expired erases sessions idle for longer than this.
    retention_days: int = Field(default=30, ge=1)
    purge_batch_size: int = Field(default=500, ge=1)
    # Who may call the maintenance functions in production: Cloud Scheduler's OIDC token must carry
    # one of these audiences (the functions' URLs, comma-separated) and this service account's email.
    scheduler_audience: Annotated[list[str], NoDecode] = []
    scheduler_service_account: str | None = None
    # The functions' database user, granted its row privileges by each deployment's preparation
    # (prepare_deployment, which runs as a user that may migrate).
    db_grant_to: str | None = None
    google_certs_url: str = "https://www.googleapis.com/oauth2/v1/certs"

    # The bot
    company_name: str = "InnovateTech"
    bot_name: str = "Ivy"
    greeting: str = "Hi! I'm Ivy, InnovateTech's assistant. Ask me about orders, returns, shipping or your account."
    # Support hours: an IANA time zone, weekly hours ("mon-fri 09:00-18:00; sat 10:00-14:00") and
    # closed dates ("2026-12-25, 2027-01-01"). The handover reply tells customers the truth from them.
    support_time_zone: str = "America/New_York"
    support_weekly_hours: str = "mon-fri 09:00-18:00"
    support_closed_dates: str = ""
    # The typical first reply of a person, in minutes, until the measured median replaces it.
    first_response_minutes: int = Field(default=15, ge=1)
    knowledge_base_path: Path = PROJECT_ROOT / "knowledge_base.json"

    # The help center as knowledge (shared/knowledge/documents/): sources are sitemap or page URLs,
    # folders or files, synced by `python -m shared.knowledge.ingest` every KNOWLEDGE_SYNC_HOURS.
    # A page is fetched only from its source's host (or one in KNOWLEDGE_ALLOWED_HOSTS), and from a
    # private or loopback address only when KNOWLEDGE_ALLOWED_PRIVATE_HOSTS names its host:port.
    knowledge_sources: Annotated[list[str], NoDecode] = []
    knowledge_allowed_hosts: Annotated[list[str], NoDecode] = []
    knowledge_allowed_private_hosts: Annotated[list[str], NoDecode] = []
    knowledge_max_pages_per_source: int = Field(default=500, ge=1, le=50_000)
    knowledge_max_document_bytes: int = Field(default=10_000_000, ge=1024, le=200_000_000)
    knowledge_fetch_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    knowledge_sync_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    # A sync started from the console runs in its request (no CPU after the response on Cloud
    # Functions) and stops taking documents after this long; the next scheduled sync does the rest.
    knowledge_request_sync_seconds: float = Field(default=30.0, gt=0, le=300)

    # Retrieval. EMBEDDER: auto (combined when both local models are installed, else multilingual,
    # else lexical only), none (lexical only), combined, multilingual, local (English MiniLM), or gemini.
    embedder: Literal["auto", "none", "combined", "multilingual", "local", "gemini"] = "auto"
    gemini_embedding_model: str = "gemini-embedding-001"
    gemini_embedding_dimensions: int = Field(default=768, ge=64, le=2000)
    # Each knowledge base's threshold is measured at sync (shared/knowledge/calibration.py); the
    # fixed ones below apply when RETRIEVAL_CALIBRATE is off or before the first sync.
    retrieval_calibrate: bool = True
    # Chosen on the evaluation dev sets with bench/tune_fusion.py (see README, Retrieval).
    retrieval_min_hybrid_score: float = 7.2
    fusion_lexical_weight: float = 1.0
    fusion_dense_weight: float = 4.0
    fusion_centroid_weight: float = 2.0
    fusion_classifier_weight: float = 1.0
    fusion_dense_tau: float = Field(default=0.05, gt=0)
    classifier_max_entries: int = Field(default=2000, ge=0)
    classifier_l2: float = Field(default=1e-4, gt=0)
    retrieval_min_score: float = Field(default=0.6, ge=0)
    # From this multiple of the threshold an entry answers whatever else is known; between the
    # threshold and it, only when no evidence speaks against it (shared/knowledge/decision.py).
    # Lower answers more covered questions and asserts more wrong entries (README, Retrieval).
    retrieval_sure_factor: float = Field(default=1.4, ge=1.0)
    retrieval_top_k: int = Field(default=5, ge=1, le=50)

    # Who writes the answers: offline (no model), gemini, openai (any OpenAI-compatible server), or
    # auto (gemini when its credentials are set, else offline).
    answer_provider: Literal["auto", "offline", "gemini", "openai"] = "auto"
    openai_base_url: str = "https://api.openai.com/v1"
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    openai_timeout_seconds: float = Field(default=20.0, gt=0)

    # Gemini: the Developer API with GOOGLE_API_KEY, or Vertex AI with Application Default Credentials.
    google_api_key: SecretStr | None = None
    google_genai_use_vertexai: bool = False
    google_cloud_location: str = "global"
    gemini_model: str = "gemini-3.5-flash"
    # Unset: v1beta on the Developer API, v1beta1 on Vertex AI (each backend serves its own).
    gemini_api_version: str | None = None
    gemini_timeout_seconds: float = Field(default=20.0, gt=0)
    gemini_retry_attempts: int = Field(default=3, ge=1, le=10)
    gemini_temperature: float = Field(default=0.2, ge=0, le=2)
    gemini_max_output_tokens: int = Field(default=1024, ge=64)
    # Tokens a thinking model may think before it answers, on top of the answer's own max_output_tokens
    # (thinking counts against that limit, and an answer cut short is no JSON). 0: no thinking (Flash models).
    gemini_thinking_budget: int = Field(default=256, ge=0, le=24_576)
    history_token_budget: int = Field(default=1500, ge=0)
    # With a model, a follow-up ("and to Canada?") is rewritten to stand on its own before retrieval;
    # the customer waits for it, so it gets a short deadline of its own and no retry (then: read offline).
    rewrite_follow_ups: bool = True
    rewrite_timeout_seconds: float = Field(default=4.0, gt=0, le=30)
    # For the console's cost estimate: the model's list prices in USD per million tokens.
    model_input_usd_per_million: float = Field(default=0.30, ge=0)
    model_output_usd_per_million: float = Field(default=2.50, ge=0)
    redact_personal_data: bool = True
    # Hosts whose links a bot reply may carry (and their subdomains), besides the knowledge base's own URLs.
    link_allowed_hosts: Annotated[list[str], NoDecode] = []
    bot_persona: str = "friendly, concise and precise customer-support assistant"
    bot_rules: str = (
        "Help with orders, shipping, returns, payments, accounts and products. "
        "Never promise refunds, discounts or delivery dates that the knowledge base does not state. "
        "Never ask for full card numbers or passwords."
    )

    # Logs
    google_cloud_project: str | None = None
    log_level: str = "INFO"

    @property
    def gemini_configured(self) -> bool:
        """Whether answers should come from Gemini rather than the offline provider."""
        return bool(self.google_api_key) or self.google_genai_use_vertexai

    @property
    def emails_replies(self) -> bool:
        """Whether agents' unread replies are e-mailed (and so whether the widget may promise it)."""
        return bool(self.smtp_host)

    @property
    def support_hours(self) -> SupportHours:
        """The parsed support hours (checked at start)."""
        return SupportHours.parse(self.support_time_zone, self.support_weekly_hours, self.support_closed_dates)

    @property
    def genai_api_version(self) -> str:
        """The API version pinned for the configured Gemini backend."""
        if self.gemini_api_version:
            return self.gemini_api_version
        return "v1beta1" if self.google_genai_use_vertexai else "v1beta"

    @property
    def pool_size(self) -> int:
        """DB_POOL_SIZE, else one connection per request thread (THREADS), else 2."""
        return self.db_pool_size or self.threads or 2

    @field_validator("scheduler_audience", mode="before")
    @classmethod
    def _split_audiences(cls, value: object) -> object:
        if isinstance(value, str):
            return [audience.strip() for audience in value.split(",") if audience.strip()]
        return value

    @field_validator("knowledge_sources", mode="before")
    @classmethod
    def _split_sources(cls, value: object) -> object:
        if isinstance(value, str):
            return [source.strip() for source in value.split(",") if source.strip()]
        return value

    @field_validator(
        "link_allowed_hosts",
        "actions_allowed_hosts",
        "knowledge_allowed_hosts",
        "knowledge_allowed_private_hosts",
        mode="before",
    )
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [host.strip().lower().rstrip(".") for host in value.split(",") if host.strip()]
        return value

    @field_validator("allowed_origins", "console_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            if "*" in self.allowed_origins:
                raise ValueError("ALLOWED_ORIGINS must list exact origins in production ('*' is for local use)")
            if "*" in self.console_origins:
                raise ValueError("CONSOLE_ORIGINS must list exact origins in production ('*' is for local use)")
        self.support_hours  # noqa: B018 - parsing fails at start, naming the bad part
        if self.google_genai_use_vertexai and not self.google_cloud_project:
            raise ValueError("GOOGLE_CLOUD_PROJECT is required with GOOGLE_GENAI_USE_VERTEXAI")
        browser_facing = {"ALLOWED_ORIGINS": self.allowed_origins, "CONSOLE_ORIGINS": self.console_origins}
        for name, urls in {**browser_facing, "CONSOLE_URL": [self.console_url or ""]}.items():
            if host := next(filter(None, map(shared_host, urls)), None):
                raise ValueError(f"{name} names {host}, whose origin anyone can publish a page on: use your own")
        if self.smtp_host and not (self.smtp_from and self.support_page_url):
            raise ValueError("SMTP_HOST needs SMTP_FROM (the sender) and SUPPORT_PAGE_URL (the link back to the chat)")
        if self.notify_webhook_url and not self.notify_webhook_secret:
            raise ValueError("NOTIFY_WEBHOOK_SECRET is required with NOTIFY_WEBHOOK_URL (it signs each delivery)")
        if self.identity_signing_secret and self.identity_jwks_url:
            raise ValueError("Set IDENTITY_SIGNING_SECRET or IDENTITY_JWKS_URL, not both (one algorithm family)")
        if self.identity_signing_secret and len(self.identity_signing_secret.get_secret_value()) < 32:
            raise ValueError("IDENTITY_SIGNING_SECRET must be at least 32 characters (HS256 wants 256 bits)")
        if self.instance_connection_name and not self.db_user:
            raise ValueError("DB_USER is required with INSTANCE_CONNECTION_NAME")
        return self

    def missing_to_serve(self) -> list[str]:
        """The settings production functions cannot serve without (the command-line tools need none of them)."""
        if self.environment != "production":
            return []
        needed = ("allowed_origins", "console_origins", "scheduler_audience", "scheduler_service_account")
        missing = [name.upper() for name in needed if not getattr(self, name)]
        if not (self.instance_connection_name or self.database_url):
            missing.insert(0, "INSTANCE_CONNECTION_NAME or DATABASE_URL")  # else an embedded Postgres
        return missing


class _SettingsOnce:
    """Settings read on first use and kept; `cache_clear()` makes the next use read them again.

    Reading and clearing share a lock: a request thread that began reading the environment before
    it changed cannot store what it read after the clear (functools' caches would keep it).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings: Settings | None = None

    def __call__(self) -> Settings:
        settings = self._settings
        if settings is None:
            with self._lock:
                if self._settings is None:
                    self._settings = Settings()
                settings = self._settings
        return settings

    def cache_clear(self) -> None:
        with self._lock:
            self._settings = None


get_settings = _SettingsOnce()
"""The process-wide settings, read on first use."""
