"""The catalog the builder is built from: actions, step types, fields, templates."""

from typing import Any, Literal

from pydantic import BaseModel, Field


class CatalogAction(BaseModel):
    name: str = Field(description="What an action step names in `action`; never renamed.")
    label: str
    category: str
    description: str
    messages_customer: bool = Field(description="It messages the customer: quiet hours defer it")
    params_schema: dict[str, Any] = Field(description="JSON Schema of the step's `params`")


class CatalogField(BaseModel):
    path: str = Field(description="A condition's `field`: `cart.total`, `customer.segment`")
    label: str
    type: Literal["number", "money", "string", "boolean", "list", "enum"] = Field(
        description="Which operators and values fit: `list` takes `contains`, `enum` its "
        "`values`, `money` a number in the shop's currency or one per currency "
        '(`{"USD": 25, "KRW": 35000}`)'
    )
    triggers: list[str] = Field(description="The triggers whose journeys have this field")
    values: list[str] = Field(description="The choices of an `enum` field")
    filters_only: bool = Field(
        description="Derived from personal data: trigger filters may test it, steps may not"
    )


class CatalogPublic(BaseModel):
    actions: list[CatalogAction] = Field(description="Ordered by category, then label")
    step_types: list[str]
    triggers: list[str] = Field(description="Events that may start a journey (`trigger.event`)")
    events: list[str] = Field(description="Events `wait_for_event` and `exit_on` may name")
    operators: list[str] = Field(description="Condition operators (`op`)")
    field_roots: list[str] = Field(
        description="What a condition's `field` starts with: `cart.total`, `steps.<id>.code`"
    )
    fields: list[CatalogField] = Field(description="The fields conditions may test, by trigger")
    templates: list[str] = Field(description="Email templates `params.template` may name")
