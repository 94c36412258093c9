"""API tokens: a client exchanges a user name and password for its token (login lockout
applies, as on the sign-in page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.accounts import services
from onderdak.common.api import RuleViolation, validated


class TokenInput(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenOutput(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Send as 'Authorization: Token <token>'.")


class TokenCreateApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: OpenApiResponse(description="Unknown user name or wrong password."),
            429: OpenApiResponse(description="Too many failed attempts: locked for a while."),
        },
        summary="Get the API token of a user (user name and password)",
        auth=[],
    )
    def post(self, request: Request) -> Response:
        values = validated(TokenInput, request.data)
        user = authenticate(
            request._request, username=values["username"], password=values["password"]
        )
        if user is None or not user.is_active:
            # A lockout is turned into 429 by the axes middleware (request.axes_locked_out).
            raise RuleViolation({"password": [_("Unknown user name or wrong password.")]})
        token = services.api_token_for(user=user)
        return Response({"token": token})
