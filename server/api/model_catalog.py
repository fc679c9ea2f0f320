"""The models this API offers, by name, and the refusal for any other name (404, as OpenAI
answers an unknown model). What each one runs with is `run_config`'s business.
"""

from __future__ import annotations

from microagent.server.api.errors import ApiError

MODELS: dict[str, str] = {
    "microagent": "the repair loop: Coder, Tester and Reviewer with the configured role models",
    "microagent-single": "one Coder pass tested once, no review (for comparison)",
}


def check_model(model: str) -> None:
    if model not in MODELS:
        offered = ", ".join(f'"{name}"' for name in MODELS)
        raise ApiError(404, f"The model {model!r} does not exist here. Use one of {offered} "
                            "(GET /v1/models lists them).", param="model", code="model_not_found")
