from tests.matrix import ALL_ROLES, Entry

# The referential is national, public data: anyone may browse it.
ENTRIES = [
    Entry("cqpm:catalogue", allowed=ALL_ROLES, public=True),
]
