"""The access matrix: for every route, what each role gets.

Every route in the app must be listed here (a test fails otherwise), so each new blueprint
extends this table. Outcomes: ok (2xx), login (redirect to sign-in), redirect (elsewhere),
forbidden (403), gone (410).
"""

ROLES = ("anonymous", "youth_member", "forum_member", "staff", "admin")


def outcomes(anonymous, youth, forum, staff, admin):
    return dict(zip(ROLES, (anonymous, youth, forum, staff, admin)))


PUBLIC = outcomes("ok", "ok", "ok", "ok", "ok")
SIGNED_IN = outcomes("login", "ok", "ok", "ok", "ok")
STAFF_ONLY = outcomes("login", "forbidden", "forbidden", "ok", "ok")
ADMIN_ONLY = outcomes("login", "forbidden", "forbidden", "forbidden", "ok")
ANONYMOUS_ONLY = outcomes("ok", "redirect", "redirect", "redirect", "redirect")
ALWAYS_REDIRECTS = outcomes("redirect", "redirect", "redirect", "redirect", "redirect")

# endpoint -> (method, URL template filled from the `ids` fixture, expected outcomes)
MATRIX = {
    "main.home": ("GET", "/", PUBLIC),
    "main.privacy": ("GET", "/privacy", PUBLIC),
    "main.accessibility": ("GET", "/accessibility", PUBLIC),
    "main.cookies": ("GET", "/cookies", PUBLIC),
    "main.health": ("GET", "/health", PUBLIC),
    "main.live": ("GET", "/health/live", PUBLIC),
    "accounts.sign_in": ("GET", "/sign-in", ANONYMOUS_ONLY),
    "accounts.sign_out": ("POST", "/sign-out", ALWAYS_REDIRECTS),
    "accounts.set_password": ("GET", "/set-password/{invite_token}", PUBLIC),
    "accounts.reset_password": ("GET", "/reset-password", PUBLIC),
    "accounts.account": ("GET", "/account", SIGNED_IN),
    "admin.users": ("GET", "/admin/users", ADMIN_ONLY),
    "admin.invite": ("GET", "/admin/users/invite", ADMIN_ONLY),
    "admin.user": ("GET", "/admin/users/{user_id}", ADMIN_ONLY),
    "admin.create_link": ("POST", "/admin/users/{user_id}/link", ADMIN_ONLY),
    "admin.organisations_page": ("GET", "/admin/organisations", ADMIN_ONLY),
}
