"""drf-spectacular hooks and extensions (imported by ApiConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from your API tokens page (bridge_…).",
        }


def only_json(endpoints):
    """Open311's .xml twins answer what the .json ones answer: one of each in the schema."""
    return [e for e in endpoints if not e[0].endswith(".xml")]
