"""Hypothesis properties of :func:`onderdak.engines.quota.apportion`."""

from __future__ import annotations

import copy
import math
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.engines.quota import Method, apportion
from tests.engines.quota import reference

METHODS = st.sampled_from(list(Method))
DIVISOR_METHODS = st.sampled_from([m for m in Method if m.is_divisor_method])

whole_weights = st.lists(st.integers(0, 1_000_000), min_size=1, max_size=25).filter(any)
real_weights = st.lists(
    st.one_of(st.just(0.0), st.floats(1e-6, 1e6)), min_size=1, max_size=25
).filter(lambda ws: sum(ws) > 0)
totals = st.integers(0, 2_000)


@st.composite
def bounded_problem(draw: st.DrawFn) -> tuple[list[int], int, list[int], list[int]]:
    """Weights, total and feasible floors/caps (floors sum <= total <= reachable caps)."""
    weights = draw(st.lists(st.integers(0, 1_000), min_size=1, max_size=12).filter(any))
    floors = [draw(st.integers(0, 5)) for _ in weights]
    caps = [f + draw(st.integers(0, 30)) for f in floors]
    low = sum(floors)
    high = sum(c if w > 0 else f for w, f, c in zip(weights, floors, caps, strict=True))
    total = draw(st.integers(low, high))
    return weights, total, floors, caps


@given(weights=st.one_of(whole_weights, real_weights), total=totals, method=METHODS)
def test_sum_equals_total(weights: list[float], total: int, method: Method) -> None:
    result = apportion(weights, total, method=method)
    assert int(result.quotas.sum()) == total
    assert bool(np.all(result.quotas >= 0))


@given(weights=whole_weights, total=totals)
def test_hamilton_stays_within_floor_and_ceiling_of_the_exact_quota(
    weights: list[int], total: int
) -> None:
    result = apportion(weights, total)
    for weight, quota in zip(weights, result.quotas.tolist(), strict=True):
        exact = Fraction(total * weight, sum(weights))
        assert math.floor(exact) <= quota <= math.ceil(exact)


@given(weights=real_weights, total=totals)
def test_hamilton_within_one_of_the_exact_quota_for_real_weights(
    weights: list[float], total: int
) -> None:
    result = apportion(weights, total)
    assert bool(np.all(np.abs(result.quotas - result.exact) < 1 + 1e-9))


@given(weights=whole_weights, total=st.integers(0, 300), method=METHODS)
@settings(max_examples=150)
def test_equals_the_seat_by_seat_reference(weights: list[int], total: int, method: Method) -> None:
    result = apportion(weights, total, method=method).quotas.tolist()
    if method is Method.HAMILTON:
        assert result == reference.hamilton(weights, total)
    else:
        assert result == reference.divisor(weights, total, method.value)


@given(problem=bounded_problem(), method=DIVISOR_METHODS)
@settings(max_examples=150)
def test_bounded_divisor_methods_equal_the_seat_by_seat_reference(
    problem: tuple[list[int], int, list[int], list[int]], method: Method
) -> None:
    weights, total, floors, caps = problem
    result = apportion(weights, total, method=method, floors=floors, caps=caps)
    assert result.quotas.tolist() == reference.divisor(weights, total, method.value, floors, caps)


@given(problem=bounded_problem(), method=METHODS)
def test_floors_and_caps_are_respected(
    problem: tuple[list[int], int, list[int], list[int]], method: Method
) -> None:
    weights, total, floors, caps = problem
    quotas = apportion(weights, total, method=method, floors=floors, caps=caps).quotas
    assert int(quotas.sum()) == total
    assert bool(np.all(quotas >= np.array(floors)))
    assert bool(np.all(quotas <= np.array(caps)))


@given(
    weights=whole_weights,
    total=totals,
    method=DIVISOR_METHODS,
    data=st.data(),
)
def test_divisor_methods_are_population_monotone(
    weights: list[int], total: int, method: Method, data: st.DataObject
) -> None:
    unit = data.draw(st.integers(0, len(weights) - 1))
    grown = list(weights)
    grown[unit] += data.draw(st.integers(1, 1_000_000))
    before = apportion(weights, total, method=method).quotas[unit]
    after = apportion(grown, total, method=method).quotas[unit]
    assert after >= before


@given(weights=whole_weights, total=totals, method=DIVISOR_METHODS)
def test_divisor_methods_are_house_monotone(weights: list[int], total: int, method: Method) -> None:
    smaller = apportion(weights, total, method=method).quotas
    larger = apportion(weights, total + 1, method=method).quotas
    assert bool(np.all(larger >= smaller))


@given(weights=whole_weights, total=totals, method=METHODS, factor=st.integers(2, 1_000_000))
def test_scaling_whole_weights_changes_nothing(
    weights: list[int], total: int, method: Method, factor: int
) -> None:
    base = apportion(weights, total, method=method)
    scaled = apportion([w * factor for w in weights], total, method=method)
    assert base.quotas.tolist() == scaled.quotas.tolist()
    assert np.allclose(base.shares, scaled.shares)


@given(weights=real_weights, total=totals, method=METHODS, power=st.integers(-20, 20))
def test_scaling_real_weights_by_a_power_of_two_changes_nothing(
    weights: list[float], total: int, method: Method, power: int
) -> None:
    base = apportion(weights, total, method=method)
    scaled = apportion([w * 2.0**power for w in weights], total, method=method)
    assert base.quotas.tolist() == scaled.quotas.tolist()


@given(problem=bounded_problem(), method=METHODS)
def test_inputs_are_not_mutated(
    problem: tuple[list[int], int, list[int], list[int]], method: Method
) -> None:
    weights, total, floors, caps = problem
    as_dict = {f"U{i}": w for i, w in enumerate(weights)}
    as_array = np.array(weights, dtype=np.float64)
    snapshot = copy.deepcopy((weights, floors, caps, as_dict))
    array_before = as_array.copy()
    apportion(weights, total, method=method, floors=floors, caps=caps)
    apportion(as_dict, total, method=method)
    result = apportion(as_array, total, method=method, floors=np.array(floors))
    assert (weights, floors, caps, as_dict) == snapshot
    assert np.array_equal(as_array, array_before)
    assert result.weights is not as_array


@given(weights=st.one_of(whole_weights, real_weights), total=totals, method=METHODS)
def test_deterministic(weights: list[float], total: int, method: Method) -> None:
    first = apportion(weights, total, method=method)
    second = apportion(list(weights), total, method=method)
    assert first.quotas.tolist() == second.quotas.tolist()
    assert first.tied == second.tied
    assert first.divisor == second.divisor
