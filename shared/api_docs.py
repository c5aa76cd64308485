"""GET /docs: Swagger UI over the OpenAPI document, every file served by the service itself.

The assets come from the `swagger-ui-bundle-v2` package (Swagger UI 5), so the page works
offline and under a strict Content-Security-Policy: no CDN, no inline script, and no call to
Swagger's online validator.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Route
from swagger_ui_bundle import swagger_ui_path

from shared.errors import NotFoundError

ASSETS_PATH = "/docs/assets"
# Only what the page loads; the package's other files (its demo page, source maps) stay private.
_ASSET_TYPES = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "favicon-32x32.png": "image/png",
}
_CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        # Swagger UI sets style attributes on its elements.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


def _page(title: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS_PATH}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="{ASSETS_PATH}/init.js"></script>
</body>
</html>
"""


def _initializer(openapi_url: str) -> str:
    return f"""window.addEventListener("load", function () {{
  window.ui = SwaggerUIBundle({{
    url: "{openapi_url}",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  }});
}});
"""


def docs_routes(*, title: str, openapi_url: str) -> list[BaseRoute]:
    """The /docs page and its assets, for the document at `openapi_url`."""
    page = _page(title)
    initializer = _initializer(openapi_url)
    cached = {"Cache-Control": "public, max-age=86400"}

    async def docs(request: Request) -> Response:
        return HTMLResponse(page, headers={"Content-Security-Policy": _CSP})

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name == "init.js":
            return Response(initializer, media_type="text/javascript", headers=cached)
        if name not in _ASSET_TYPES:
            raise NotFoundError()
        return FileResponse(
            swagger_ui_path / name, media_type=_ASSET_TYPES[name], headers=cached
        )

    return [
        Route("/docs", docs, methods=["GET"]),
        Route(ASSETS_PATH + "/{name}", asset, methods=["GET"]),
    ]
