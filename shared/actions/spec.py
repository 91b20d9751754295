"""The actions file's format: `{"actions": [...]}`, each action a request on the shop's own API.

Checked when the file is read, so that a mistake is reported once, by name, and never reaches a
customer: placeholders name declared parameters or the verified customer, never the URL's scheme
or host; a write (any method but GET) always asks the customer first; an action that names the
customer requires a verified one.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
CUSTOMER_FIELDS = ("customer.id", "customer.email")


class ParameterSpec(BaseModel):
    """One parameter, in the JSON Schema words models know: type, pattern, enum, lengths, bounds."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    type: Literal["string", "integer", "number", "boolean"] = "string"
    description: str = Field(default="", max_length=500)
    pattern: str | None = Field(default=None, max_length=200)
    enum: list[str | int] | None = Field(default=None, min_length=1, max_length=50)
    min_length: int | None = Field(default=None, alias="minLength", ge=0)
    max_length: int = Field(default=200, alias="maxLength", ge=1, le=2000)
    minimum: float | None = None
    maximum: float | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            re.compile(pattern)
        return pattern


class ParametersSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["object"] = "object"
    required: list[str] = Field(default_factory=list)
    properties: dict[str, ParameterSpec] = Field(default_factory=dict, max_length=10)

    @model_validator(mode="after")
    def _required_are_declared(self) -> ParametersSpec:
        undeclared = [name for name in self.required if name not in self.properties]
        if undeclared:
            raise ValueError(f"required parameters not in properties: {', '.join(undeclared)}")
        for name in self.properties:
            if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", name):
                raise ValueError(f"parameter name {name!r}: lowercase letters, digits and _")
        return self


class RequestSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "GET"
    url: str = Field(max_length=2000)
    headers: dict[str, str] = Field(default_factory=dict)
    body: dict[str, Any] | None = None

    @field_validator("url")
    @classmethod
    def _fixed_origin(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("url must be an absolute http(s) URL")
        if "{" in parts.netloc or "{" in parts.scheme or parts.fragment or parts.username or parts.password:
            raise ValueError("url: no placeholder in the scheme or host, no credentials, no fragment")
        return url


class ShowSpec(BaseModel):
    """How a result is shown: a title, and labels for values found at dotted paths in the response.

    With `each` (the path of a list in the response), every item of the list is one line of the
    card: `item` is its label and the `fields` its value, joined.
    """

    model_config = ConfigDict(extra="forbid")

    title: str = Field(default="", max_length=200)
    fields: dict[str, str] = Field(default_factory=dict, max_length=12)
    url: str | None = None
    each: str | None = None
    item: str = Field(default="", max_length=200)


class ActionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    description: str = Field(min_length=1, max_length=1000)
    examples: list[str] = Field(default_factory=list, max_length=100)
    parameters: ParametersSpec = Field(default_factory=ParametersSpec)
    request: RequestSpec
    requires: Literal["verified_customer"] | None = None
    show: ShowSpec = Field(default_factory=ShowSpec)
    confirm: bool = False

    @property
    def writes(self) -> bool:
        """Whether the action changes something at the shop: it then waits for the customer's yes."""
        return self.confirm or self.request.method != "GET"

    @model_validator(mode="after")
    def _placeholders_are_known(self) -> ActionSpec:
        known = {*self.parameters.properties, *CUSTOMER_FIELDS}
        used = set(PLACEHOLDER.findall(self.request.url)) | set(_body_placeholders(self.request.body))
        unknown = sorted(used - known)
        if unknown:
            raise ValueError(f"{self.name}: unknown placeholders {', '.join(unknown)}")
        if used & set(CUSTOMER_FIELDS) and self.requires != "verified_customer":
            raise ValueError(f'{self.name}: names the customer, so it needs "requires": "verified_customer"')
        if self.request.body is not None and self.request.method == "GET":
            raise ValueError(f"{self.name}: a GET request has no body")
        return self


class ActionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actions: list[ActionSpec] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _unique_names(self) -> ActionsFile:
        names = [action.name for action in self.actions]
        if len(names) != len(set(names)):
            raise ValueError("action names must be unique")
        return self


def _body_placeholders(value: Any) -> list[str]:
    if isinstance(value, str):
        return PLACEHOLDER.findall(value)
    if isinstance(value, dict):
        return [name for item in value.values() for name in _body_placeholders(item)]
    if isinstance(value, list):
        return [name for item in value for name in _body_placeholders(item)]
    return []
