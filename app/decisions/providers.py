"""AI providers through their official SDKs. All three SDKs speak httpx2; an optional httpx2 transport is
injected into each so tests intercept every request (respx, an httpx mock, would not)."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import anthropic
import httpx2
import huggingface_hub
from google import genai
from google.genai import types as genai_types
from huggingface_hub import AsyncInferenceClient

from app.contract import ENV
from app.core.breaker import Breaker, DependencyUnavailable
from app.core.config import Settings
from app.core.secrets import SYNCED_TOKEN, SecretReader

logger = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You triage customer support messages. Reply with ONE JSON object and nothing else: "
    '{"decision": "escalate" | "auto_reply" | "ignore", "churn_risk": "low" | "medium" | "high", '
    '"confidence": number between 0 and 1, "reason": "one short sentence"}.'
)
AUTH_STATUSES = frozenset({401, 403})
TIMEOUT_ERRORS: tuple[type[BaseException], ...] = (
    TimeoutError,
    httpx2.TimeoutException,
    anthropic.APITimeoutError,
    huggingface_hub.errors.InferenceTimeoutError,
)


@dataclass(frozen=True)
class Completion:
    text: str
    tokens_in: int
    tokens_out: int
    model: str


class ProviderFailure(Exception):
    """A provider could not answer; the chain moves on. `reason` is a metric-friendly word."""

    def __init__(self, provider: str, reason: str, completion: Completion | None = None) -> None:
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason
        self.completion = completion


def status_of(exc: BaseException) -> int | None:
    """The HTTP status behind an SDK error; each SDK names it differently."""
    for value in (getattr(exc, "status_code", None), getattr(exc, "code", None)):
        if isinstance(value, int):
            return value
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def classify(exc: BaseException) -> str:
    if isinstance(exc, TIMEOUT_ERRORS):
        return "timeout"
    status = status_of(exc)
    if status in AUTH_STATUSES:
        return "auth"
    if status == 429:
        return "rate_limited"
    if status is not None and status >= 500:
        return "server_error"
    if isinstance(exc, httpx2.TransportError | anthropic.APIConnectionError):
        return "connection"
    return "error"


class AiProvider(ABC):
    name: str
    key_env: str

    def __init__(
        self,
        *,
        secrets: SecretReader,
        secrets_breaker: Breaker,
        model: str,
        timeout: float,
        max_tokens: int,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.secrets = secrets
        self.secrets_breaker = secrets_breaker
        self.use_synced_token = False
        self.model = model
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.transport = transport
        self._client: Any = None
        self._client_key: str | None = None

    @property
    def key_name(self) -> str:
        """The provider's own key; the synced token only when chosen for this provider and no key is set."""
        if self.use_synced_token and not self.secrets.configured(self.key_env):
            return SYNCED_TOKEN
        return self.key_env

    def configured(self) -> bool:
        return self.secrets.configured(self.key_name)

    def _http(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=self.transport, timeout=self.timeout)

    async def _read_key(self) -> str | None:
        """The current key. Secrets Manager failing (down, hung, a container with no value yet) is this
        provider failing, never the request: the chain moves on."""
        try:
            return await self.secrets_breaker.call_sync(self.secrets.get, self.key_name)
        except DependencyUnavailable as exc:
            raise ProviderFailure(self.name, "secret_unavailable") from exc
        except Exception as exc:
            logger.warning(
                "provider key unreadable", extra={"provider": self.name, "error_type": type(exc).__name__}
            )
            raise ProviderFailure(self.name, "not_configured") from exc

    async def _client_for_current_key(self) -> Any:
        key = await self._read_key()
        if not key:
            raise ProviderFailure(self.name, "not_configured")
        if key != self._client_key:
            await self.aclose()
            self._client, self._client_key = self._build_client(key), key
        return self._client

    async def complete(self, prompt: str) -> Completion:
        """One call, reading the key included. On 401/403 the key is re-read (rotation) and tried once
        more. The time limit is the caller's: the chain runs this under its `Breaker`, whose timeout
        covers the whole call and is reported as reason "timeout"."""
        for attempt in (1, 2):
            client = await self._client_for_current_key()
            try:
                return await self._call(client, prompt)
            except ProviderFailure:
                raise
            except Exception as exc:
                reason = classify(exc)
                if reason == "auth" and attempt == 1 and self.secrets.arn_for(self.key_name):
                    await self.secrets_breaker.call_sync(self.secrets.refresh, self.key_name)
                    continue
                raise ProviderFailure(self.name, reason) from exc
        raise ProviderFailure(self.name, "auth")

    async def aclose(self) -> None:
        client, self._client, self._client_key = self._client, None, None
        if client is not None:
            await self._close_client(client)

    @abstractmethod
    def _build_client(self, api_key: str) -> Any: ...

    @abstractmethod
    async def _call(self, client: Any, prompt: str) -> Completion: ...

    @abstractmethod
    async def _close_client(self, client: Any) -> None: ...


class ClaudeProvider(AiProvider):
    """Anthropic with an API key: consumer OAuth tokens are refused by the API for SDK callers."""

    name = "claude"
    key_env = ENV.ANTHROPIC_API_KEY

    def _build_client(self, api_key: str) -> anthropic.AsyncAnthropic:
        # No SDK retries: the chain's next provider is the retry.
        return anthropic.AsyncAnthropic(
            api_key=api_key, http_client=self._http(), max_retries=0, timeout=self.timeout
        )

    async def _call(self, client: anthropic.AsyncAnthropic, prompt: str) -> Completion:
        message = await client.messages.create(
            model=self.model,
            max_tokens=self.max_tokens,
            system=SYSTEM_PROMPT,
            messages=[{"role": "user", "content": prompt}],
        )
        text = "".join(getattr(block, "text", "") for block in message.content)
        usage = message.usage
        return Completion(text, usage.input_tokens, usage.output_tokens, self.model)

    async def _close_client(self, client: anthropic.AsyncAnthropic) -> None:
        await client.close()


class GeminiProvider(AiProvider):
    name = "gemini"
    key_env = ENV.GEMINI_API_KEY

    def _build_client(self, api_key: str) -> tuple[genai.Client, httpx2.AsyncClient]:
        http = self._http()
        options = genai_types.HttpOptions(timeout=int(self.timeout * 1000), httpx_async_client=http)
        return genai.Client(api_key=api_key, http_options=options), http

    async def _call(self, client: tuple[genai.Client, httpx2.AsyncClient], prompt: str) -> Completion:
        config = genai_types.GenerateContentConfig(
            system_instruction=SYSTEM_PROMPT,
            response_mime_type="application/json",
            max_output_tokens=self.max_tokens,
            temperature=0.2,
        )
        response = await client[0].aio.models.generate_content(
            model=self.model, contents=prompt, config=config
        )
        usage = response.usage_metadata
        tokens_in = (usage.prompt_token_count or 0) if usage else 0
        tokens_out = (usage.candidates_token_count or 0) if usage else 0
        return Completion(response.text or "", tokens_in, tokens_out, self.model)

    async def _close_client(self, client: tuple[genai.Client, httpx2.AsyncClient]) -> None:
        await client[1].aclose()


class HuggingFaceProvider(AiProvider):
    name = "huggingface"
    key_env = ENV.HUGGINGFACE_API_KEY

    def __init__(self, *args: Any, base_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = base_url
        if self.transport is not None:
            # huggingface_hub builds its own httpx2 clients; its documented hook is a global factory.
            transport = self.transport
            huggingface_hub.set_async_client_factory(lambda: httpx2.AsyncClient(transport=transport))

    def _build_client(self, api_key: str) -> AsyncInferenceClient:
        # base_url (the OpenAI-compatible router) avoids a model-to-provider lookup on the Hub per call.
        return AsyncInferenceClient(base_url=self.base_url, api_key=api_key, timeout=self.timeout)

    async def _call(self, client: AsyncInferenceClient, prompt: str) -> Completion:
        response = await client.chat_completion(
            messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}],
            model=self.model,
            max_tokens=self.max_tokens,
            temperature=0.2,
        )
        text = response.choices[0].message.content or "" if response.choices else ""
        usage = response.usage
        tokens_in = usage.prompt_tokens if usage else 0
        tokens_out = usage.completion_tokens if usage else 0
        return Completion(text, tokens_in, tokens_out, self.model)

    async def _close_client(self, client: AsyncInferenceClient) -> None:
        await client.close()


def build_providers(
    settings: Settings,
    secrets: SecretReader,
    secrets_breaker: Breaker,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> list[AiProvider]:
    """The AI providers of the configured chain, in order (rules is not one: it ends every chain)."""
    common: dict[str, Any] = {
        "secrets": secrets,
        "secrets_breaker": secrets_breaker,
        "max_tokens": settings.ai_max_output_tokens,
        "transport": transport,
    }
    factories = {
        "claude": lambda: ClaudeProvider(
            model=settings.claude_model, timeout=settings.claude_timeout_seconds, **common
        ),
        "gemini": lambda: GeminiProvider(
            model=settings.gemini_model, timeout=settings.gemini_timeout_seconds, **common
        ),
        "huggingface": lambda: HuggingFaceProvider(
            model=settings.huggingface_model,
            timeout=settings.huggingface_timeout_seconds,
            base_url=settings.huggingface_base_url,
            **common,
        ),
    }
    providers = [factories[name]() for name in settings.provider_chain if name in factories]
    for provider in providers:
        provider.use_synced_token = settings.synced_token_provider == provider.name
    return providers
