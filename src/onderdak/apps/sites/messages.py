"""The siting engine's codes in the user's language (the engine itself speaks English codes with
parameters; the command line renders its own English text)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from onderdak.common.vocabulary import target_group_label

if TYPE_CHECKING:
    from onderdak.engines.siting import Portfolio, SitingInputError


def _amount(value: Any) -> str:
    return "€ " + number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _too_few_sites(params: Mapping[str, Any]) -> str:
    return _(
        "at least two sites without exclusions or missing values are needed, there are %(count)d."
    ) % {"count": params.get("count", 0)}


_SITING_ERRORS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "too_few_sites": _too_few_sites,
    "all_weights_zero": lambda p: _(
        "every weight is 0; give at least one criterion a weight above 0."
    ),
    "weight_bounds_too_narrow": lambda p: _(
        "the plausible weight ranges are too narrow together; widen them."
    ),
    "lower_bounds_above_one": lambda p: _(
        "the lowest plausible weights together are more than the total weight."
    ),
    "upper_bounds_below_one": lambda p: _(
        "the highest plausible weights together are less than the total weight."
    ),
    "spread_needs_neighbourhood": lambda p: _(
        "a spread limit needs a neighbourhood for every ranked site."
    ),
    "solver_failed": lambda p: _(
        "the calculation did not finish; try again with fewer sites or limits."
    ),
}


def siting_error(error: SitingInputError) -> str:
    """A sentence for a :class:`SitingInputError` (an unknown code: the generic sentence)."""
    render = _SITING_ERRORS.get(error.code)
    if render is None:
        return _("the input of the calculation is not valid.")
    return render(error.params)


def portfolio_reason(result: Portfolio) -> str:
    """Why no portfolio exists, as a sentence (empty for a feasible result)."""
    params = dict(result.reason_params or {})
    code = result.reason_code
    if code == "group_capacity":
        return _(
            "%(group)s needs %(target)s places; the sites that may house this group offer "
            "%(offered)s in total."
        ) % {
            "group": target_group_label(params["group"]),
            "target": number_format(params["target"], force_grouping=True),
            "offered": number_format(params["offered"], force_grouping=True),
        }
    if code == "groups_capacity":
        return _(
            "%(groups)s together need %(target)s places; the sites that may house any of them "
            "offer %(offered)s in total."
        ) % {
            "groups": ", ".join(str(target_group_label(g)) for g in params["groups"]),
            "target": number_format(params["target"], force_grouping=True),
            "offered": number_format(params["offered"], force_grouping=True),
        }
    if code == "spread":
        return _("the spread limit per neighbourhood leaves too few places to meet the targets.")
    if code == "budget":
        return _(
            "the budget of %(budget)s is too small: the cheapest selection that meets the "
            "targets costs %(cheapest)s."
        ) % {"budget": _amount(params["budget"]), "cheapest": _amount(params["cheapest"])}
    if code == "capacity":
        return _("the targets cannot be met with the capacities of the sites.")
    return ""


def binding_label(code: str) -> str:
    """A binding constraint of a portfolio (``budget``, ``target:<group>``,
    ``sites:<neighbourhood>``, ``places:<neighbourhood>``) in words."""
    kind, _sep, name = code.partition(":")
    if kind == "budget":
        return _("the budget")
    if kind == "target":
        return _("the target for %(group)s") % {"group": target_group_label(name)}
    if kind == "sites":
        return _("the number of sites in %(neighbourhood)s") % {"neighbourhood": name}
    if kind == "places":
        return _("the places in %(neighbourhood)s") % {"neighbourhood": name}
    return code
