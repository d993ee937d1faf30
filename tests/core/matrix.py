from tests.matrix import ALL_ROLES, CENTRE_ROLES, Entry

ENTRIES = [
    Entry("home", allowed=ALL_ROLES),
    Entry("healthz", allowed=(), public=True),
    Entry(
        "centres:switch",
        allowed=CENTRE_ROLES,
        method="post",
        status=302,
        data=lambda w: {"centre": w.centre_a.pk},
        label="switch",
    ),
    Entry("login", allowed=(), public=True),
    Entry("logout", allowed=ALL_ROLES, method="post", status=302, public=True),
    # Second factor: without an enrolled app the code page sends to the set-up page; the
    # recovery codes page shows codes only right after a set-up (else it moves on).
    Entry("two_factor_verify", allowed=ALL_ROLES, status=302),
    Entry("two_factor_setup", allowed=ALL_ROLES),
    Entry("two_factor_recovery_codes", allowed=ALL_ROLES, status=302),
    Entry("api:api-schema", allowed=ALL_ROLES, public=True),
    Entry("api:api-docs", allowed=ALL_ROLES, public=True),
]
