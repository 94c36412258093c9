"""Serializers of the quarterly letter API (output only)."""

from __future__ import annotations

from rest_framework import serializers


class LetterSummarySerializer(serializers.Serializer[object]):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    status = serializers.CharField()
    adopted_on = serializers.DateField(allow_null=True)
    organisation = serializers.IntegerField(source="organisation_id")


class LetterLineSerializer(serializers.Serializer[object]):
    task_field = serializers.CharField()
    track = serializers.CharField()
    target_group = serializers.CharField(allow_blank=True)
    direction = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    original = serializers.DecimalField(max_digits=16, decimal_places=2)
    current = serializers.DecimalField(max_digits=16, decimal_places=2)
    actual_to_date = serializers.DecimalField(max_digits=16, decimal_places=2)
    still_to_come = serializers.DecimalField(max_digits=16, decimal_places=2)
    forecast = serializers.DecimalField(max_digits=16, decimal_places=2)
    variance = serializers.DecimalField(max_digits=16, decimal_places=2)
    light = serializers.CharField()
    proposed = serializers.DecimalField(
        max_digits=16,
        decimal_places=0,
        allow_null=True,
        help_text="Proposed amendment (forecast - current, whole euros) for amber/red lines.",
    )


class SectionSerializer(serializers.Serializer[object]):
    track = serializers.CharField()
    commentary = serializers.CharField(allow_blank=True)
    lines = LetterLineSerializer(many=True)


class DifferenceSerializer(serializers.Serializer[object]):
    task_field = serializers.CharField()
    track = serializers.CharField()
    target_group = serializers.CharField(allow_blank=True)
    direction = serializers.CharField()
    field = serializers.CharField()
    adopted = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    now = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    difference = serializers.DecimalField(max_digits=16, decimal_places=2)


class LetterSerializer(serializers.Serializer[object]):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    status = serializers.CharField()
    adopted_on = serializers.DateField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)
    sections = SectionSerializer(many=True)
    differences = DifferenceSerializer(many=True)
