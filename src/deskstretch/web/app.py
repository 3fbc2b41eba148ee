"""``create_app(settings)``: the browser front end as a FastAPI application, built on demand.

No import-time side effects: the Coach, templates, secrets and routers are made here, per app.
Routes stay thin over ``app.state.coach`` (taken through ``web.deps.CoachDep``); their JSON
shapes live in ``web.api_schemas``, security in ``web.security``.
"""

from __future__ import annotations

import secrets

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.web.error_pages import install_error_handlers
from deskstretch.web.rendering import STATIC_DIR, build_templates, static_url
from deskstretch.web.security import CsrfTokens, Origins, SecurityMiddleware

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8767


def create_app(
    settings: Settings,
    coach: Coach | None = None,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    access_token: str | None = None,
    extra_hosts: tuple[str, ...] = (),
) -> FastAPI:
    """The web app for ``settings``, answering only to ``host``/loopback names (and
    ``extra_hosts``) on ``port``; with ``access_token``, only to requests that carry it."""
    from deskstretch.web.routes import (
        api,
        assess_pages,
        builder_pages,
        camera_socket,
        first_run_pages,
        lesson_pages,
        library_pages,
        plan_pages,
        player_pages,
        programme_pages,
        progress_pages,
        psfs_pages,
        questionnaire_pages,
        reminder_pages,
        routine_file_pages,
        safety_pages,
        settings_pages,
        speech,
        today_pages,
    )

    app = FastAPI(
        title="deskstretch",
        # The interactive docs load scripts from a CDN, and nothing may leave the machine.
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.coach = coach or Coach(settings)
    app.state.templates = build_templates()
    app.state.flash_secret = secrets.token_bytes(32)
    app.state.origins = Origins.for_address(host, port, extra_hosts)
    app.add_middleware(
        SecurityMiddleware,
        origins=app.state.origins,
        tokens=CsrfTokens(secrets.token_bytes(32)),
        access_token=access_token,
    )
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in (
        today_pages.router,
        settings_pages.router,
        reminder_pages.router,
        builder_pages.router,
        routine_file_pages.router,
        library_pages.router,
        programme_pages.router,
        lesson_pages.router,
        safety_pages.router,
        first_run_pages.router,
        plan_pages.router,
        progress_pages.router,
        assess_pages.router,
        psfs_pages.router,
        questionnaire_pages.router,
        api.router,
        player_pages.router,
        speech.router,
        camera_socket.router,
    ):
        app.include_router(router)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse(static_url("favicon.svg"), status_code=308)

    return app
