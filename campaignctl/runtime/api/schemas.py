"""Request and response shapes, for validation where FastAPI parses and for /openapi.json."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RegistrationIn(BaseModel):
    """A registration. Either ``code`` or ``receipt`` (the receipt QR string); multipart adds ``receipt_photo``."""

    code: str | None = Field(default=None, max_length=64, examples=["7KQ4-M2XD-9FHA"])
    receipt: str | None = Field(
        default=None, max_length=300, examples=["t=20270805T1016&s=1250.00&fn=99604&i=12&fp=1&n=1"]
    )
    phone: str = Field(max_length=32, examples=["+7 900 123-45-67"])
    consent: bool = Field(description="Consent to personal data processing; must be true.")
    age_confirmed: bool | None = None
    name: str | None = Field(default=None, max_length=300)
    email: str | None = Field(default=None, max_length=300)
    birth_date: str | None = Field(default=None, max_length=10)
    city: str | None = Field(default=None, max_length=300)


class PrizeOut(BaseModel):
    id: str
    name: str


class RegistrationOut(BaseModel):
    id: str
    outcome: str
    message: str
    prize: PrizeOut | None
    draw_entries: int
    points: int


class Refusal(BaseModel):
    outcome: str | None = None
    message: str


class FieldErrors(BaseModel):
    message: str
    errors: dict[str, str]


class Health(BaseModel):
    status: str


class Winner(BaseModel):
    draw: str
    prize: str
    winner: str


class Winners(BaseModel):
    winners: list[Winner]


class LoginCodeIn(BaseModel):
    phone: str = Field(max_length=32)


class Message(BaseModel):
    message: str


class MyRegistration(BaseModel):
    registered_at: str
    channel: str
    outcome: str
    prize: str | None
    draw_entries: int
    points: int


class Me(BaseModel):
    phone: str
    points: int
    registrations: list[MyRegistration]
