"""A local stand-in for the platforms' APIs, serving recorded responses on loopback: ``make
demo`` connects and syncs the demo agency from it, and the tests use it as their fake servers
(paging, windows, rate-limit answers, expired tokens, server errors, timeouts, changed shapes).

It answers as the real APIs do (``shared/reference/platform-apis.md``) from data in the shapes
the importers read, so a recorded export and a synced one are the same bytes."""
